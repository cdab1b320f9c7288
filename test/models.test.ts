/**
 * The trained models as an element will load them: fetched over HTTP from their folder, sliced,
 * and run — by the float32 reference (exactly the manifest's accuracy) and by jax-js in Chromium.
 */
import { expect } from '@open-wc/testing';
import { compareLogits } from '../src/core/inference/metrics.js';
import { createMlpSession } from '../src/core/inference/index.js';
import { loadModel } from '../src/models/load.js';
import { countCorrect, predictFloat32 } from '../src/models/reference.js';

const base = new URL('/src/models/', location.origin);

describe('trained models, loaded over HTTP', function () {
  this.timeout(60000);

  for (const model of ['digits', 'spirals'] as const) {
    it(`${model}: the reference reproduces the manifest's accuracy exactly; jax-js agrees`, async () => {
      const m = await loadModel(model, base);
      const count = m.manifest.heldOutSize;
      expect(m.labels.length).to.equal(count);
      expect(m.inputs.length).to.equal(count * m.layers[0].shape[1]);
      const correct = countCorrect(predictFloat32(m.layers, m.inputs), m.labels);
      expect(correct).to.equal(m.manifest.correctFloat);
      expect(m.manifest.accuracyFloat).to.be.at.least(0.95);
      // jax-js on wasm (its own summation order): within a couple of examples of the reference
      const s = await createMlpSession('auto', m.layers); // through the lazily loaded engine
      expect(s.device).to.equal('wasm');
      try {
        s.setInputs(m.inputs, count);
        const logits = await s.logits(null);
        const r = compareLogits(logits, logits, m.layers.at(-1)!.shape[0], m.labels);
        expect(Math.abs(r.accuracyFloat * count - m.manifest.correctFloat)).to.be.at.most(2);
      } finally {
        s.dispose();
      }
    });
  }

  it('a missing folder is a bad-source error naming the file', async () => {
    let error: { code?: string; message?: string } = {};
    await loadModel('digits', new URL('/no-such-folder/', location.origin)).catch(
      (e: unknown) => (error = e as never),
    );
    expect(error.code).to.equal('bad-source');
    expect(error.message).to.contain('digits.json');
  });
});
