/**
 * The trained models ship gzipped (issue 18: static servers rarely compress `.bin`, and the digits
 * data is 4.7 MB raw, 1.4 MB gzipped): the loader inflates them natively, and also takes them from a
 * host that already sent them with `Content-Encoding: gzip`.
 */
import { expect } from '@open-wc/testing';
import { loadModel, loadTrainSet } from '../src/models/load.js';

const plain = new URL('/src/models/', location.href);
const encoded = new URL('/__encoded/models/', location.href);

describe('gzipped models', () => {
  it('the same model from a plain static server and from one that sends Content-Encoding: gzip', async () => {
    for (const model of ['spirals', 'digits'] as const) {
      const a = await loadModel(model, plain);
      const b = await loadModel(model, encoded);
      expect(a.raw.byteLength, model).to.equal(a.manifest.data.heldOut.inputs.bytes);
      expect(new Uint8Array(b.raw), model).to.deep.equal(new Uint8Array(a.raw));
      expect(b.layers.map((l) => Array.from(l.weight.slice(0, 8)))).to.deep.equal(
        a.layers.map((l) => Array.from(l.weight.slice(0, 8))),
      );
      expect(Array.from(b.labels)).to.deep.equal(Array.from(a.labels));
    }
  });

  it("what the article fetches for both models' data (training sets included) is the gzipped size, ≤ 1.5 MB", async () => {
    performance.clearResourceTimings();
    const { manifest } = await loadModel('digits', new URL('/src/models/?fresh', location.href));
    await loadTrainSet(manifest, plain);
    const spirals = (await loadModel('spirals', new URL('/src/models/?fresh', location.href))).manifest;
    await loadTrainSet(spirals, plain);
    await new Promise((r) => setTimeout(r, 100));
    const bins = performance
      .getEntriesByType('resource')
      .filter((e) => (e as PerformanceResourceTiming).name.includes('.bin')) as PerformanceResourceTiming[];
    const assets = [manifest, spirals].flatMap((m) => [
      m.weights,
      m.data.heldOut.inputs,
      m.data.heldOut.labels,
      m.data.train.inputs,
      m.data.train.labels,
    ]);
    const encodedTotal = assets.reduce((t, a) => t + a.encodedBytes!, 0);
    const raw = assets.reduce((t, a) => t + a.bytes, 0);
    expect(bins.length).to.be.at.least(10);
    const fetched = bins.reduce((t, e) => t + e.encodedBodySize, 0);
    console.log(
      `digits + spirals data: ${(raw / 1e6).toFixed(2)} MB raw, ${(encodedTotal / 1e6).toFixed(2)} MB fetched (${(fetched / 1e6).toFixed(2)} MB measured)`,
    );
    expect(fetched).to.be.at.most(1.5e6);
  });

  it('a corrupt gzip file is a bad-source error naming it', async () => {
    const { assetContent } = await import('../src/models/load.js');
    const bad = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3);
    let caught: { code?: string; message?: string } | null = null;
    try {
      await assetContent(bad.buffer, { file: 'x.bin.gz', bytes: 100, sha256: '', encoding: 'gzip' });
    } catch (e) {
      caught = e as { code: string; message: string };
    }
    expect(caught?.code).to.equal('bad-source');
    expect(caught?.message).to.contain('x.bin.gz');
  });
});
