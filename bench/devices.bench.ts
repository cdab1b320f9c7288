/**
 * Which device is fastest for the quantizer's work (what `device="auto"` should
 * pick): a session's config change → QuantResult read back, per device and size.
 * Note: without a real GPU, Chromium's WebGPU/WebGL run on SwiftShader (the CPU).
 */
import { availableDevices, createSession, generateWeights, type Device } from '../src/core/index.js';
import { table, timeMedian } from './stats.js';

describe('devices bench', function () {
  this.timeout(600000);

  it('config change → result, per device', async () => {
    const devices: Device[] = await availableDevices();
    const rows: Record<string, string | number>[] = [];
    for (const side of [64, 256, 1024]) {
      const values = await generateWeights('normal', side * side, { seed: 1 });
      const row: Record<string, string | number> = { shape: `${side}x${side}` };
      for (const device of devices) {
        if (device === 'cpu' && side > 256) {
          row[`${device} ms`] = '-';
          continue;
        }
        const session = await createSession(device);
        try {
          session.setData(values, [side, side]);
          let bits = 3;
          const change = () =>
            session.quantize({ bits: (bits = bits === 3 ? 5 : 3), granularity: 'channel' });
          await timeMedian(3, change); // compile both configs
          row[`${device} ms`] = await timeMedian(side > 256 ? 5 : 15, change);
        } finally {
          session.dispose();
        }
      }
      rows.push(row);
    }
    console.log(
      table(`quantize (per-channel, bits 3↔5), median ms; crossOriginIsolated=${crossOriginIsolated}`, rows),
    );
  });
});
