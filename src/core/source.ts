/**
 * Parsers for user-supplied weights (`src`): NumPy .npy (float32/float64, 1-D
 * or 2-D, either byte order, C or Fortran order) and JSON arrays (flat or
 * nested 2-D). Pure functions on bytes/text: no DOM, no fetch.
 */
import { MAX_DIM, MAX_ELEMENTS } from './config.js';
import { QuantError } from './errors.js';

export interface Weights {
  values: Float32Array;
  shape: number[];
}

/** Largest `src` payload read, in bytes (4M float64 values plus a header). */
export const MAX_SOURCE_BYTES = MAX_ELEMENTS * 8 + 4096;

function bad(message: string): QuantError {
  return new QuantError('bad-source', message);
}

function checkWeights(values: Float32Array, shape: number[]): Weights {
  if (values.length === 0) throw bad('the file holds no values');
  if (shape.length < 1 || shape.length > 2)
    throw bad(`only 1-D or 2-D arrays are supported, got ${shape.length}-D`);
  // A long 1-D file is fine here: the caller may lay it out (a widget's shape attribute).
  if (shape.some((d) => d < 1) || (shape.length === 2 && shape.some((d) => d > MAX_DIM)))
    throw bad(`each dimension must be 1–${MAX_DIM}, got ${shape.join('×')}`);
  if (values.length > MAX_ELEMENTS)
    throw bad(`${values.length} values is more than the ${MAX_ELEMENTS} allowed`);
  const i = values.findIndex((v) => !Number.isFinite(v));
  if (i >= 0) throw bad(`value ${i} is ${values[i]}: every value must be a finite float32`);
  return { values, shape };
}

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function isNpy(bytes: Uint8Array): boolean {
  return NPY_MAGIC.every((b, i) => bytes[i] === b);
}

/** Parses a .npy file. */
export function parseNpy(buffer: ArrayBuffer): Weights {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < 10 || !isNpy(bytes)) throw bad('not a .npy file (bad magic bytes)');
  const view = new DataView(buffer);
  const major = bytes[6];
  if (major < 1 || major > 3) throw bad(`unsupported .npy version ${major}`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw bad('truncated .npy header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(headerStart, dataStart),
  );
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw bad('malformed .npy header');
  const kinds: Record<string, [4 | 8, boolean]> = {
    '<f4': [4, true],
    '>f4': [4, false],
    '<f8': [8, true],
    '>f8': [8, false],
  };
  const kind = kinds[descr];
  if (!kind) throw bad(`dtype ${descr} is not supported: use float32 or float64`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d))) throw bad(`malformed .npy shape (${shapeText})`);
  if (shape.length === 0) throw bad('a 0-D (scalar) .npy is not a weight tensor');
  const n = shape.reduce((a, b) => a * b, 1);
  if (n > MAX_ELEMENTS) throw bad(`${n} values is more than the ${MAX_ELEMENTS} allowed`);
  const [size, little] = kind;
  if (dataStart + n * size > bytes.length) throw bad(`truncated .npy data: expected ${n} values`);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const at = dataStart + i * size;
    values[i] = size === 4 ? view.getFloat32(at, little) : view.getFloat64(at, little);
  }
  if (fortran === 'True' && shape.length === 2)
    return checkWeights(transpose(values, shape[1], shape[0]), shape);
  return checkWeights(values, shape);
}

/** Column-major [cols][rows] storage → row-major rows × cols. */
function transpose(values: Float32Array, cols: number, rows: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) out[r * cols + c] = values[c * rows + r];
  return out;
}

/** Parses a JSON array of numbers, flat or nested (rectangular 2-D). */
export function parseJsonWeights(text: string): Weights {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw bad('not valid JSON');
  }
  if (!Array.isArray(json)) throw bad('JSON must be an array of numbers, flat or nested');
  const nested = json.length > 0 && Array.isArray(json[0]);
  const rows = nested ? (json as unknown[]) : [json];
  const cols = (rows[0] as unknown[]).length;
  const values = new Float32Array(rows.length * cols);
  rows.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== cols) throw bad(`row ${r} is not an array of ${cols} numbers`);
    row.forEach((v, c) => {
      if (typeof v !== 'number')
        throw bad(`value [${nested ? `${r}, ` : ''}${c}] is ${JSON.stringify(v)}, not a number`);
      values[r * cols + c] = v;
    });
  });
  return checkWeights(values, nested ? [rows.length, cols] : [cols]);
}

/** Parses bytes by content: .npy magic first, else JSON. */
export function parseWeights(buffer: ArrayBuffer): Weights {
  if (buffer.byteLength > MAX_SOURCE_BYTES) throw bad(`file is larger than ${MAX_SOURCE_BYTES} bytes`);
  const bytes = new Uint8Array(buffer);
  if (isNpy(bytes)) return parseNpy(buffer);
  return parseJsonWeights(new TextDecoder().decode(bytes));
}
