/**
 * GPTQ and AWQ on digits, wasm, in the worker (issue 22: GPTQ for the whole model ≤ 3 s): time per
 * layer and in total, medians of 3 runs, each on a fresh worker (jax-js start-up and every compile
 * paid, as a reader's first calibration; asset fetch apart, in `load`), and the longest main-thread
 * task meanwhile. 256 calibration images, 3 bits. Run with
 * `npm run bench -- --files bench/gptq.bench.ts`.
 */
import type { ReactiveControllerHost } from 'lit';
import { WorkerController } from '../src/controllers/worker.js';
import type {
  CalibrationRequest,
  CalibrationResponse,
  CalibrationWorkerProgress,
} from '../src/core/gptq/protocol.js';
import { MODEL_FILES } from '../src/model-files.generated.js';
import { qatWorker } from '../src/worker-sources.js';
import { summarize, table } from './stats.js';

const host = { addController() {} } as unknown as ReactiveControllerHost;

describe('GPTQ / AWQ bench', function () {
  this.timeout(900000);

  it('digits, wasm, 256 samples, 3 bits', async () => {
    const rows: Record<string, string | number>[] = [];
    for (const method of ['gptq', 'awq'] as const)
      for (const granularity of ['channel', 'group'] as const) {
        const runs: CalibrationResponse[] = [];
        const long: number[] = [];
        for (let i = 0; i < 3; i++) {
          const worker = new WorkerController<
            CalibrationRequest,
            CalibrationWorkerProgress,
            CalibrationResponse
          >(host, qatWorker, 'calibration');
          const observer = new PerformanceObserver((list) =>
            list.getEntries().forEach((e) => long.push(e.duration)),
          );
          observer.observe({ type: 'longtask', buffered: false });
          runs.push(
            await worker.run({
              kind: 'calibrate',
              model: 'digits',
              modelFiles: MODEL_FILES,
              method,
              quant: { scheme: 'affine', granularity, groupSize: 32 },
              layerBits: [3, 3, 3],
              samples: 256,
              device: 'wasm',
            }),
          );
          observer.disconnect();
          worker.terminate();
        }
        const med = (f: (r: CalibrationResponse) => number) => summarize(runs.map(f)).median;
        rows.push({
          method,
          granularity: granularity === 'group' ? 'group 32' : granularity,
          'fc1 ms': med((r) => r.layers[0].ms),
          'fc2 ms': med((r) => r.layers[1].ms),
          'fc3 ms': med((r) => r.layers[2].ms),
          'total ms': med((r) => r.ms),
          'load ms': med((r) => r.loadMs),
          'longest main task ms': Math.max(0, ...long),
        });
      }
    console.log(
      table('GPTQ / AWQ in the worker (digits, wasm, 256 samples, 3 bits; medians of 3 fresh workers)', rows),
    );
  });
});
