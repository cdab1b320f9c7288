/**
 * A kit worker must say `ready` (src/workers/serve.ts) within the start timeout, or its run fails
 * with a message (issue 21: a hung worker module left `run()` pending forever). Once it has said
 * so, a long run is not cut short.
 */
import { expect } from '@open-wc/testing';
import { WorkerController } from '../src/controllers/worker.js';

const host = { addController() {} } as never;
/** A worker source (src/worker-sources.ts) for a fixture worker. */
const fixture = (name: string) => () =>
  new Worker(new URL(`./fixtures/${name}`, import.meta.url), { type: 'module' });

describe('WorkerController start', () => {
  it('rejects a run whose worker never says ready, naming the worker and the wait', async () => {
    const c = new WorkerController<number, never, number>(host, fixture('silent.worker.js'), 'test', {
      startTimeout: 300,
    });
    const t0 = performance.now();
    const error = await c.run(1).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.equal('the test worker did not start within 300 ms');
    expect(performance.now() - t0).to.be.below(3000);
    expect(c.running).to.equal(false);
  });

  it('lets a started worker take longer than the start timeout to answer', async () => {
    const c = new WorkerController<number, never, number>(host, fixture('slow-run.worker.js'), 'test', {
      startTimeout: 300,
    });
    expect(await c.run(21)).to.equal(42);
    c.terminate();
  });
});
