/** memoizeRetry (src/core/memo.ts): one shared load, a failure is not remembered. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failedImportUrl, memoizeRetry, retryableImport } from '../../src/core/memo.js';

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

describe('retryableImport', () => {
  const chromium = (url: string) => new TypeError(`Failed to fetch dynamically imported module: ${url}`);

  it('reads the URL a failed import names, in Chromium and Firefox; Safari names none', () => {
    assert.equal(
      failedImportUrl(chromium('https://cdn.example/q/chunks/engine-1a2b.js')),
      'https://cdn.example/q/chunks/engine-1a2b.js',
    );
    assert.equal(
      failedImportUrl(
        new TypeError('error loading dynamically imported module: http://localhost:8000/src/core/engine.ts'),
      ),
      'http://localhost:8000/src/core/engine.ts',
    );
    assert.equal(failedImportUrl(new TypeError('Importing a module script failed.')), null);
    assert.equal(failedImportUrl(new ReferenceError('x is not defined')), null);
    assert.equal(
      failedImportUrl('Failed to fetch dynamically imported module: https://a.example/x.js'),
      null,
    );
  });

  it('retries a failed download at a new URL, since the browser remembers the old one', async () => {
    const url = 'https://cdn.example/q/chunks/engine-1a2b.js';
    const calls: string[] = [];
    let firstCalls = 0;
    const load = retryableImport(
      async () => {
        firstCalls++;
        throw chromium(url);
      },
      async (u) => {
        calls.push(u);
        if (calls.length === 1) throw chromium(u); // the retry fails too: it names its own URL
        return 'engine';
      },
    );
    await assert.rejects(load(), /Failed to fetch/);
    await assert.rejects(load(), /Failed to fetch/);
    assert.equal(await load(), 'engine');
    assert.equal(await load(), 'engine');
    assert.equal(firstCalls, 1);
    assert.deepEqual(calls, [`${url}?qw-retry=1`, `${url}?qw-retry=2`]);
  });

  it('imports the same way again when the error names no URL', async () => {
    let firstCalls = 0;
    const load = retryableImport(
      async () => {
        if (++firstCalls === 1) throw new TypeError('Importing a module script failed.');
        return 7;
      },
      async () => assert.fail('no URL to retry at'),
    );
    await assert.rejects(load());
    assert.equal(await load(), 7);
    assert.equal(firstCalls, 2);
  });

  it('keeps a query the URL had', async () => {
    const calls: string[] = [];
    const load = retryableImport(
      async () => {
        throw chromium('https://a.example/engine.js?v=3');
      },
      async (u) => {
        calls.push(u);
        return 1;
      },
    );
    await assert.rejects(load());
    assert.equal(await load(), 1);
    assert.deepEqual(calls, ['https://a.example/engine.js?v=3&qw-retry=1']);
  });
});
