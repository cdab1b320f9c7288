import type { DeviceChoice, QuantConfig } from '../core/config.js';
import type { QuantErrorCode } from '../core/errors.js';

/** The config sent in quant-change / quant-input (SPEC §2.4). */
export type QuantChangeDetail = Pick<
  QuantConfig,
  'bits' | 'scheme' | 'granularity' | 'groupSize' | 'rounding' | 'calibration' | 'percentile'
>;

export interface QuantErrorDetail {
  code: QuantErrorCode;
  message: string;
  attribute?: string;
}

export interface QuantReadyDetail {
  device: string;
  /** What was asked for (`auto` or a device name). */
  requested: DeviceChoice;
}

export interface QuantSelectDetail {
  row: number;
  col: number;
  value: number;
  code: number;
  dequantized: number;
  error: number;
}

/** Every event the kit fires, with its detail type. */
export interface QuantEventMap {
  'quant-change': QuantChangeDetail;
  'quant-input': QuantChangeDetail;
  'quant-ready': QuantReadyDetail;
  'quant-result': unknown;
  'quant-error': QuantErrorDetail;
  'quant-select': QuantSelectDetail;
}

export const CONFIG_KEYS: readonly (keyof QuantChangeDetail)[] = [
  'bits',
  'scheme',
  'granularity',
  'groupSize',
  'rounding',
  'calibration',
  'percentile',
];
