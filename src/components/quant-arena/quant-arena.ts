import { QuantArena } from './quant-arena.component.js';

export { QuantArena };
export type { ArenaResult, ArenaInput, ArenaProgress } from './quant-arena.component.js';

if (!customElements.get('quant-arena')) customElements.define('quant-arena', QuantArena);
