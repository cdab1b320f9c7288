/**
 * `npm run train`: trains `digits` and `spirals` with jax-js and writes the committed assets to
 * src/models/ (weights, manifest, held-out set, QAT training subset). Deterministic: a rerun writes
 * the same bytes, except `trainSeconds` in the manifests.
 *
 *   npm run train                 # both models
 *   npm run train -- spirals      # one model
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelName } from '../../src/models/manifest.js';
import { writeModel } from './assets.js';
import { trainModel } from './train.js';

const outDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/models');
const requested = process.argv.slice(2);
const models = requested.length ? requested : ['digits', 'spirals'];
mkdirSync(outDir, { recursive: true });
for (const model of models) {
  if (model !== 'digits' && model !== 'spirals') throw new Error(`unknown model "${model}"`);
  console.log(`\n== ${model}`);
  const t = await trainModel(model as ModelName, {}, (line) => console.log(line));
  const { heldOutSize } = t.config;
  const accuracy = t.correctFloat / heldOutSize;
  console.log(
    `${model}: ${(t.ms / 1000).toFixed(1)} s on ${t.device}; held-out float accuracy ` +
      `${(accuracy * 100).toFixed(2)}% (${t.correctFloat}/${heldOutSize} by the float32 reference; ` +
      `jax-js forward ${t.correctJax}/${heldOutSize})`,
  );
  if (accuracy < 0.95) throw new Error(`${model}: held-out accuracy ${accuracy} is below 0.95`);
  const manifest = await writeModel(t, outDir);
  const { heldOut, train } = manifest.data;
  const files = [manifest.weights, heldOut.inputs, heldOut.labels, train.inputs, train.labels];
  console.log(
    `wrote src/models/${model}.json and ${files.map((f) => `${f.file} (${f.bytes} B)`).join(', ')}`,
  );
}
