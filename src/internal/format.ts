import type { QuantConfig } from '../core/config.js';

/** Number formatting shared by the elements: short, aligned, honest about zero. */
export function formatValue(v: number, digits = 4): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : v < 0 ? '−∞' : 'NaN';
  const a = Math.abs(v);
  const s =
    a >= 1e4 || a < 1e-3
      ? v.toExponential(digits - 1)
      : v.toFixed(Math.max(0, digits - 1 - Math.floor(Math.log10(a))));
  return s.replace('-', '−');
}

export function formatPercent(share: number): string {
  if (share === 0) return '0%';
  if (share < 0.001) return '<0.1%';
  return `${(share * 100).toFixed(1)}%`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

export function formatDb(db: number): string {
  return Number.isFinite(db) ? `${db.toFixed(1)} dB` : '∞ dB (exact)';
}

/** Display names of the number formats (SPEC §3.1), one list for every element. */
export const FORMAT_LABELS: { readonly [F in Exclude<QuantConfig['format'], 'int'>]: string } = {
  fp16: 'FP16',
  bf16: 'BF16',
  'fp8-e4m3': 'FP8 E4M3',
  'fp8-e5m2': 'FP8 E5M2',
  'fp4-e2m1': 'FP4 E2M1',
  nf4: 'NF4',
  mxfp4: 'MXFP4',
  mxfp8: 'MXFP8',
  mxint8: 'MXINT8',
};

/** "int4", "NF4", "FP4 E2M1", "MXFP4". */
export function formatLabel(config: Pick<QuantConfig, 'format' | 'bits'>): string {
  return config.format === 'int' ? `int${config.bits}` : FORMAT_LABELS[config.format];
}
