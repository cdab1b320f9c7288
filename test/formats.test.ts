/** The number formats (SPEC §3.1) in the browser: the conformance table jitted and eager, no leaks, WebGPU. */
import './helpers/wasm-memory.js';
import { expect } from '@open-wc/testing';
import { QuantError, availableDevices, createSession, quantizeArray } from '../src/core/index.js';
import { lcgNormal } from './shared/core-cases.js';
import { OTHER_FORMATS, formatFailures } from './shared/format-cases.js';
import { wasmHeapBytes } from './helpers/wasm-memory.js';

describe('number formats in the browser', () => {
  it('match the oracle bit for bit on the conformance table (jit session, as the elements run it)', async function () {
    this.timeout(180000);
    const session = await createSession('auto', { jit: true });
    try {
      const failures = await formatFailures(async (c) => {
        session.setData(c.data, c.shape);
        return session.quantize(c.config);
      });
      expect(failures).to.deep.equal([]);
    } finally {
      session.dispose();
    }
  });

  it('match the oracle through quantizeArray (eager), on every third case', async function () {
    this.timeout(180000);
    expect(await formatFailures((c) => quantizeArray(c.data, c.shape, c.config), 3)).to.deep.equal([]);
  });

  it('do not leak: every format, jitted with clip masks and eager, leaves the wasm heap where it was', async function () {
    this.timeout(120000);
    const data = lcgNormal(128 * 130, 9);
    const session = await createSession('wasm');
    session.setData(data, [128, 130]);
    const run = async () => {
      for (const format of OTHER_FORMATS) {
        const config = { format, granularity: 'group', groupSize: 64 } as const;
        await session.quantize(config, { clipMask: true });
        await quantizeArray(data, [128, 130], config);
      }
    };
    try {
      await run();
      await run();
      const before = wasmHeapBytes();
      for (let i = 0; i < 6; i++) await run();
      expect(wasmHeapBytes()).to.equal(before);
    } finally {
      session.dispose();
    }
  });

  it('rejects an unknown format with a QuantError', async () => {
    let caught: unknown = null;
    try {
      await quantizeArray([1, 2], [2], { format: 'fp6' as never });
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(QuantError);
    expect((caught as QuantError).code).to.equal('invalid-config');
  });

  it('quantizes on WebGPU when the browser has it: MX exact, absmax formats within one step', async function () {
    this.timeout(60000);
    const devices = await availableDevices();
    if (!devices.includes('webgpu')) this.skip();
    const data = lcgNormal(64 * 64, 4);
    for (const format of OTHER_FORMATS) {
      const config = { format, granularity: 'channel' } as const;
      const gpu = await quantizeArray(data, [64, 64], config, { device: 'webgpu' });
      const cpu = await quantizeArray(data, [64, 64], config, { device: 'wasm' });
      // Signed codes → ordinals, so "one step" is a neighbouring value (NF4 codes are ordinals already).
      const bits = format === 'fp16' || format === 'bf16' ? 16 : format.includes('4') ? 4 : 8;
      const ordinal = (c: number) =>
        format === 'nf4'
          ? c
          : format === 'mxint8'
            ? (c << 24) >> 24
            : c >= 2 ** (bits - 1)
              ? 2 ** (bits - 1) - c
              : c;
      let off = 0;
      for (let i = 0; i < data.length; i++) {
        const d = Math.abs(ordinal(gpu.codes[i]) - ordinal(cpu.codes[i]));
        expect(d, `${format} ${i}`).to.be.at.most(1);
        if (d) off++;
      }
      // WGSL's 1/x is not correctly rounded: a code may move at a near-tie, rarely. MX scales are
      // powers of two built from bits, and fp16/bf16 have no scale: those match exactly.
      if (format.startsWith('mx') || format.endsWith('16')) expect(off, format).to.equal(0);
      else expect(off / data.length, format).to.be.below(0.001);
    }
  });
});
