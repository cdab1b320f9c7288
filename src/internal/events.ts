/**
 * Every event the kit fires, with its detail type (SPEC §2.4), in one place: `emit()` is typed by
 * it, and so are users' listeners (`el.addEventListener('quant-result', e => e.detail)` gives the
 * element's own result type; see QuantBase).
 */
import type { DeviceChoice, QuantConfig } from '../core/config.js';
import type { QuantErrorCode } from '../core/errors.js';

/** The config sent in quant-change / quant-input (SPEC §2.4). */
export type QuantChangeDetail = Pick<
  QuantConfig,
  'bits' | 'scheme' | 'granularity' | 'groupSize' | 'rounding' | 'calibration' | 'percentile' | 'format'
>;

export interface QuantErrorDetail {
  code: QuantErrorCode;
  message: string;
  attribute?: string;
}

export interface QuantReadyDetail {
  device: string;
  /** What was asked for (`auto`, a device name, or the arena's list). */
  requested: DeviceChoice | (string & {});
}

export interface QuantProgressDetail {
  done: number;
  total: number;
  [more: string]: unknown;
}

export interface QuantSelectDetail {
  row: number;
  col: number;
  value: number;
  code: number;
  dequantized: number;
  error: number;
}

/** Event name → detail, for an element whose result type is R. */
export interface QuantEventDetails<R = unknown> {
  'quant-change': QuantChangeDetail;
  'quant-input': QuantChangeDetail;
  'quant-ready': QuantReadyDetail;
  'quant-progress': QuantProgressDetail;
  'quant-result': R;
  'quant-error': QuantErrorDetail;
  'quant-select': QuantSelectDetail;
}

/** Event name → event, for listeners. */
export type QuantEventMap<R = unknown> = {
  [K in keyof QuantEventDetails<R>]: CustomEvent<QuantEventDetails<R>[K]>;
};

/** The config keys, in the order of the quant-change detail. */
export const CONFIG_KEYS: readonly (keyof QuantChangeDetail)[] = [
  'bits',
  'scheme',
  'granularity',
  'groupSize',
  'rounding',
  'calibration',
  'percentile',
  'format',
];

declare global {
  // The kit's events on any element, document or window (a result of unknown element: unknown).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends QuantEventMap {}
}
