/**
 * Type tests (checked by `tsc --noEmit`, never run): the kit's events are typed for users in
 * strict mode, per element, with no casts.
 */
import type { QuantSimulator } from '../../src/components/quant-simulator/quant-simulator.js';
import type { QuantChangeDetail, QuantErrorDetail } from '../../src/internal/events.js';

export function typedListeners(el: QuantSimulator): void {
  el.addEventListener('quant-result', (e) => {
    // the element's own result type, with its recorded inputs
    const bytes: number = e.detail.memory.quantizedBytes;
    const bits: number = e.detail.config.bits;
    const device: string = e.detail.device;
    // @ts-expect-error: not a field of the simulator's result
    void e.detail.notAField;
    void [bytes, bits, device];
  });
  el.addEventListener('quant-change', (e) => {
    const detail: QuantChangeDetail = e.detail;
    // @ts-expect-error: a change detail's bits is a number
    const wrong: string = e.detail.bits;
    void [detail, wrong];
  });
  el.addEventListener('quant-error', (e) => {
    const detail: QuantErrorDetail = e.detail;
    void detail.code;
  });
  // ordinary DOM events keep their types
  el.addEventListener('click', (e) => void e.clientX);
}

export function onTheDocument(): void {
  // the tag map gives the element class, so its events are typed too
  document.querySelector('quant-simulator')?.addEventListener('quant-ready', (e) => void e.detail.device);
  document.addEventListener('quant-error', (e) => void e.detail.message);
}
