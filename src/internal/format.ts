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
