/** memoizeRetry (src/core/memo.ts): one shared load, a failure is not remembered. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoizeRetry } from '../../src/core/memo.js';

/** A loader whose calls are counted and whose outcomes are scripted, settled by hand. */
function scripted<T>() {
  const calls: { resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  const loader = () =>
    new Promise<T>((resolve, reject) => {
      calls.push({ resolve, reject });
    });
  return { loader, calls };
}

describe('memoizeRetry', () => {
  it('retries after a rejected load, then keeps the value', async () => {
    const { loader, calls } = scripted<string>();
    const load = memoizeRetry(loader);
    const first = load();
    calls[0].reject(new Error('503 Service Unavailable'));
    await assert.rejects(first, /503/);
    const second = load();
    assert.equal(calls.length, 2, 'the second call loads again');
    calls[1].resolve('engine');
    assert.equal(await second, 'engine');
    assert.equal(await load(), 'engine');
    assert.equal(calls.length, 2, 'a resolved load is not repeated');
  });

  it('shares one promise between concurrent calls, also when it rejects', async () => {
    const { loader, calls } = scripted<number>();
    const load = memoizeRetry(loader);
    const [a, b] = [load(), load()];
    assert.equal(a, b);
    assert.equal(calls.length, 1);
    calls[0].reject(new Error('offline'));
    await assert.rejects(a, /offline/);
    await assert.rejects(b, /offline/);
    const [c, d] = [load(), load()];
    assert.equal(c, d);
    assert.equal(calls.length, 2);
    calls[1].resolve(7);
    assert.deepEqual(await Promise.all([c, d]), [7, 7]);
  });

  it('lets a caller retry from its own catch', async () => {
    let attempts = 0;
    const load = memoizeRetry(async () => {
      attempts++;
      if (attempts === 1) throw new Error('transient');
      return 'ok';
    });
    const value = await load().catch(() => load());
    assert.equal(value, 'ok');
    assert.equal(attempts, 2);
  });

  it('turns a loader that throws synchronously into a rejection, and retries it', async () => {
    let attempts = 0;
    const load = memoizeRetry<number>(() => {
      attempts++;
      if (attempts === 1) throw new TypeError('sync');
      return Promise.resolve(attempts);
    });
    await assert.rejects(load(), TypeError);
    assert.equal(await load(), 2);
    assert.equal(await load(), 2);
  });
});
