/** CDN file of <quant-arena>: registers it; the class is the default export (SPEC §1). */
import { QuantArena } from '../components/quant-arena/quant-arena.js';

export * from '../components/quant-arena/quant-arena.js';
export default QuantArena;
