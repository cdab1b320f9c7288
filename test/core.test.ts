/** The core's conformance table in the browser (wasm, crossOriginIsolated), plus the WebGPU device. */
import './helpers/wasm-memory.js';
import { expect } from '@open-wc/testing';
import {
  QuantError,
  availableDevices,
  createSession,
  generateWeights,
  quantizeArray,
} from '../src/core/index.js';
import { roundingNoiseData } from '../src/core/engine.js';
import { histogramCountsBy, lacksRoutine } from '../src/core/histogram.js';
import { referenceHistogram } from '../src/core/reference.js';
import { badInputs } from './shared/bad-inputs.js';
import {
  compareResults,
  conformanceFailures,
  coreCases,
  lcgNormal,
  raggedCases,
  stochasticFailures,
} from './shared/core-cases.js';
import { referenceQuantize } from '../src/core/reference.js';
import { wasmHeapBytes } from './helpers/wasm-memory.js';

describe('core in the browser', () => {
  it('runs crossOriginIsolated, so jax-js wasm is multi-threaded', () => {
    expect(crossOriginIsolated).to.equal(true);
  });

  it('matches the reference on the conformance table (jit session, as the elements run it)', async function () {
    this.timeout(180000);
    const session = await createSession('auto', { jit: true });
    try {
      const failures = await conformanceFailures(async (c) => {
        session.setData(c.data, c.shape);
        return session.quantize(c.config);
      });
      expect(failures).to.deep.equal([]);
    } finally {
      session.dispose();
    }
  });

  it('matches the reference through quantizeArray (eager), on every third case', async function () {
    this.timeout(180000);
    const failures = await conformanceFailures((c) => quantizeArray(c.data, c.shape, c.config), 3);
    expect(failures).to.deep.equal([]);
  });

  it('matches the reference when a session reuses its percentile sort across bits, percentiles and schemes', async function () {
    this.timeout(120000);
    const session = await createSession('auto', { jit: true });
    const failures: string[] = [];
    try {
      const cases = [...coreCases(), ...raggedCases()].filter((c) => c.config.calibration === 'percentile');
      expect(cases.length).to.be.greaterThan(2);
      for (const c of cases) {
        session.setData(c.data, c.shape);
        // The same data and layout each time: the first call sorts, the others take its sort.
        const configs = [
          c.config,
          { ...c.config, bits: 3 },
          { ...c.config, percentile: 97.5 },
          { ...c.config, scheme: c.config.scheme === 'symmetric' ? 'affine' : 'symmetric' },
          c.config,
        ] as const;
        for (const config of configs) {
          const diffs = compareResults(
            await session.quantize(config),
            referenceQuantize(c.data, c.shape, config),
          );
          if (diffs.length) failures.push(`${c.name} ${JSON.stringify(config)}: ${diffs.join('; ')}`);
        }
      }
    } finally {
      session.dispose();
    }
    expect(failures).to.deep.equal([]);
  });

  it('reads a lazily read array on first access, and once the session moved on, with the same values', async function () {
    this.timeout(30000);
    const session = await createSession('auto', { jit: true });
    try {
      // Below and above the session's synchronous limit (2^16 values: kernels in jax-js's pool).
      for (const shape of [
        [64, 48],
        [320, 256],
      ]) {
        const data = lcgNormal(shape[0] * shape[1], 7);
        session.setData(data, shape);
        const config = { granularity: 'group', groupSize: 20, bits: 5 } as const;
        const ref = referenceQuantize(data, shape, config);
        const first = await session.quantize(config, { read: ['dequantized'], clipMask: true });
        expect(Object.getOwnPropertyDescriptor(first, 'codes')?.get, 'codes read lazily').to.be.a('function');
        expect(Object.getOwnPropertyDescriptor(first, 'dequantized')?.get).to.equal(undefined);
        expect([...first.codes]).to.deep.equal([...ref.codes]); // on first access
        const later = await session.quantize(config, { read: [], clipMask: true });
        await session.quantize({ bits: 3 }, { read: [] }); // the session moves on: `later` is recomputed
        expect([...later.codes]).to.deep.equal([...ref.codes]);
        expect([...later.dequantized]).to.deep.equal([...ref.dequantized]);
        expect(later.clipped!.length).to.equal(data.length);
        expect(compareResults(later, ref)).to.deep.equal([]);
      }
    } finally {
      session.dispose();
    }
  });

  it('matches the reference on ragged groups with stochastic rounding, jit and eager', async function () {
    this.timeout(60000);
    const session = await createSession('auto', { jit: true });
    try {
      const jitted = await stochasticFailures(async (c) => {
        session.setData(c.data, c.shape);
        return session.quantize(c.config);
      }, roundingNoiseData);
      expect(jitted).to.deep.equal([]);
    } finally {
      session.dispose();
    }
    const eager = await stochasticFailures(
      (c) => quantizeArray(c.data, c.shape, c.config),
      roundingNoiseData,
    );
    expect(eager).to.deep.equal([]);
  });

  it('does not leak: weight generation and new noise seeds leave the wasm heap where it was', async function () {
    this.timeout(120000);
    const session = await createSession('wasm');
    session.setData(lcgNormal(64, 1), [8, 8]);
    const run = async (from: number, count: number) => {
      for (let seed = from; seed < from + count; seed++) {
        await generateWeights('outliers', 256, { seed });
        await session.quantize({ rounding: 'stochastic', seed });
      }
    };
    try {
      await run(0, 50);
      const before = wasmHeapBytes();
      await run(50, 1500);
      expect(wasmHeapBytes()).to.equal(before);
    } finally {
      session.dispose();
    }
  });

  it('histogram: falls back only where a device lacks a routine, by jax-js’s own error', async function () {
    this.timeout(60000);
    const devices = await availableDevices();
    if (!devices.includes('webgl')) this.skip();
    const values = lcgNormal(3000, 6);
    let caught: unknown = null;
    try {
      await histogramCountsBy('search', values, -1, 1, 16, 'webgl'); // webgl has no sort
    } catch (e) {
      caught = e;
    }
    expect(lacksRoutine(caught), String(caught)).to.equal(true);
    const want = [...referenceHistogram(values, -1, 1, 16)];
    for (const device of devices) {
      expect([...(await histogramCountsBy('auto', values, -1, 1, 16, device))], device).to.deep.equal(want);
      // the scatter runs on jax-js's default device only; elsewhere it refuses instead of miscounting
      if (device !== 'wasm') {
        let refused: unknown = null;
        try {
          await histogramCountsBy('scatter', values, -1, 1, 16, device);
        } catch (e) {
          refused = e;
        }
        expect((refused as QuantError | null)?.code, device).to.equal('runtime');
      }
    }
  });

  it('rejects every bad input with a QuantError', async () => {
    for (const bad of badInputs()) {
      let caught: unknown = null;
      try {
        await quantizeArray(bad.data as Float32Array, bad.shape as number[], bad.config);
      } catch (e) {
        caught = e;
      }
      expect(caught, bad.name).to.be.instanceOf(QuantError);
      expect((caught as QuantError).code, bad.name).to.equal(bad.code);
    }
  });

  it('quantizes on WebGPU when the browser has it, agreeing with wasm up to reciprocal rounding', async function () {
    const devices = await availableDevices();
    if (!devices.includes('webgpu')) this.skip();
    const data = lcgNormal(64 * 64, 4);
    const config = { bits: 4, granularity: 'channel' } as const;
    const gpu = await quantizeArray(data, [64, 64], config, { device: 'webgpu' });
    const cpu = await quantizeArray(data, [64, 64], config, { device: 'wasm' });
    // WGSL's 1/x is not correctly rounded, so a code may differ by one at a near-tie, rarely.
    let differing = 0;
    for (let i = 0; i < data.length; i++) {
      expect(Math.abs(gpu.codes[i] - cpu.codes[i])).to.be.at.most(1);
      if (gpu.codes[i] !== cpu.codes[i]) differing++;
    }
    expect(differing / data.length).to.be.below(0.001);
    expect(gpu.stats.mse).to.be.closeTo(cpu.stats.mse, cpu.stats.mse * 1e-3);
    // and the jit-compiled path the elements use runs there too
    const session = await createSession('webgpu', { jit: true });
    try {
      session.setData(data, [64, 64]);
      const jitted = await session.quantize(config);
      expect(session.device).to.equal('webgpu');
      expect(Array.from(jitted.codes)).to.deep.equal(Array.from(gpu.codes));
      // ragged groups, percentile included (its padding sorts as +Infinity), agree the same way
      const ragged = {
        bits: 4,
        granularity: 'group',
        groupSize: 16,
        calibration: 'percentile',
        percentile: 90,
      } as const;
      const wide = lcgNormal(64 * 60, 5);
      session.setData(wide, [64, 60]);
      const onGpu = await session.quantize(ragged);
      const onWasm = await quantizeArray(wide, [64, 60], ragged, { device: 'wasm' });
      expect(onGpu.scale.length).to.equal(64 * 4);
      onGpu.scale.forEach((s, g) => expect(s).to.be.closeTo(onWasm.scale[g], onWasm.scale[g] * 1e-6));
      let off = 0;
      for (let i = 0; i < wide.length; i++) {
        expect(Math.abs(onGpu.codes[i] - onWasm.codes[i])).to.be.at.most(1);
        if (onGpu.codes[i] !== onWasm.codes[i]) off++;
      }
      expect(off / wide.length).to.be.below(0.001);
    } finally {
      session.dispose();
    }
  });
});
