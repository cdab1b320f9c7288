/**
 * The byte-packed arrays (clip mask, codeBytes) and |x − x̂| on every device this browser has:
 * four bytes per int32 word reach 2³² − 1 before wrapping, so a backend that kept int32 in
 * floats, or that saturated, would scramble the high byte. Each device is held to its own codes.
 */
import { expect } from '@open-wc/testing';
import { availableDevices, createSession } from '../src/core/index.js';
import { lcgNormal } from './shared/core-cases.js';

describe('packed reads on every device', () => {
  it('codeBytes is code − qmin, clipped marks only end codes, absError is |x − x̂| in float32', async function () {
    this.timeout(120000);
    const devices = await availableDevices();
    // Odd length: the last word is padded.
    const shape = [37, 29];
    const data = lcgNormal(shape[0] * shape[1], 11);
    // Percentile calibration clips each block's tails. webgl has no sort, and a compiled mse there
    // loses SwiftShader's GL context (its own issue), so minmax there: no clipping, the rest checked.
    const configsFor = (device: string) => {
      const calibration =
        device === 'webgl'
          ? ({ calibration: 'minmax' } as const)
          : ({ calibration: 'percentile', percentile: 90 } as const);
      return [
        // 8-bit asymmetric: codes up to 255 in the top byte (the word's sign bit).
        { bits: 8, granularity: 'channel', ...calibration },
        { bits: 4, scheme: 'symmetric', granularity: 'group', groupSize: 8, ...calibration },
      ] as const;
    };
    const checked: string[] = [];
    for (const device of devices) {
      const session = await createSession(device, { jit: true });
      try {
        session.setData(data, shape);
        for (const config of configsFor(device)) {
          // twice: eager, then compiled
          for (let run = 0; run < 2; run++) {
            const r = await session.quantize(config, { clipMask: true, codeBytes: true, absError: true });
            const at = `${device} ${config.bits}-bit run ${run}`;
            expect(r.codeBytes, at).to.be.instanceOf(Uint8Array);
            expect(r.codeBytes!.length, at).to.equal(data.length);
            let clipped = 0;
            for (let i = 0; i < data.length; i++) {
              if (r.codeBytes![i] !== r.codes[i] - r.qmin) expect.fail(`${at}: codeBytes[${i}]`);
              const c = r.clipped![i];
              if (c !== 0 && c !== 1) expect.fail(`${at}: clipped[${i}] = ${c}`);
              if (c === 1 && r.codes[i] !== r.qmin && r.codes[i] !== r.qmax)
                expect.fail(`${at}: clipped ${i}`);
              clipped += c;
              const e = Math.fround(Math.abs(data[i] - r.dequantized[i]));
              if (r.absError![i] !== e) expect.fail(`${at}: absError[${i}] ${r.absError![i]} ≠ ${e}`);
            }
            if (config.calibration === 'percentile') expect(clipped, at).to.be.above(data.length * 0.05);
            expect(r.clipped!.length, at).to.equal(data.length);
          }
        }
        checked.push(device);
      } finally {
        session.dispose();
      }
    }
    expect(checked).to.include('wasm');
  });
});
