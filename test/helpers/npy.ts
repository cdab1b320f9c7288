/** Builds NumPy .npy bytes for `src` tests: good files, and files with one thing wrong. */

export interface NpyOptions {
  /** dtype descr, e.g. `<f4`, `>f8`, `<i4`. Default `<f4`. */
  descr?: string;
  /** Format version (1 has a 2-byte header length, 2 and 3 a 4-byte one). Default 1. */
  version?: number;
  fortran?: boolean;
  /** The whole header dict instead of the one built from descr, fortran order and shape. */
  header?: string;
}

/** Bytes per item of a descr (`<U4` is 4 UCS-4 characters; `|O` a pointer). */
function itemSize(descr: string): number {
  const n = Number(/\d+/.exec(descr)?.[0] ?? 8);
  return /U/.test(descr) ? 4 * n : n;
}

/**
 * A .npy of `values` (little- or big-endian float32/float64 written as such; any other dtype gets
 * zero bytes of its size, since a reader must refuse it before the data).
 */
export function npyBytes(
  values: ArrayLike<number>,
  shape: number[],
  options: NpyOptions = {},
): Uint8Array<ArrayBuffer> {
  const { descr = '<f4', version = 1, fortran = false } = options;
  const dims = `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
  let header =
    options.header ??
    `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${dims}, }`;
  const start = version === 1 ? 10 : 12;
  while ((start + header.length + 1) % 64) header += ' ';
  header += '\n';
  const size = itemSize(descr);
  const buf = new ArrayBuffer(start + header.length + values.length * size);
  const bytes = new Uint8Array(buf);
  const view = new DataView(buf);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[start + i] = header.charCodeAt(i);
  const float = /^[<>]f[48]$/.test(descr);
  const little = descr[0] === '<';
  for (let i = 0; float && i < values.length; i++) {
    const at = start + header.length + i * size;
    if (size === 8) view.setFloat64(at, values[i], little);
    else view.setFloat32(at, values[i], little);
  }
  return bytes;
}
