/**
 * A seed reproduces the seed article (issue 19, item 4): the default normal weights of `seed` are
 * random.normal(random.key(seed), shape) · std, and the other streams of the seed are apart from it.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { init, numpy as np, random, type Array as JaxArray } from '@jax-js/jax';
import { generateWeights } from '../../src/core/index.js';
import { OUTLIER_SHARE } from '../../src/core/weights.js';
import { roundingNoiseData } from '../../src/core/engine.js';

before(async () => {
  await init('wasm');
});

const data = async (a: JaxArray) => Array.from((await a.data()) as Float32Array | Int32Array);

/** Subkey i of split(key(seed), n). */
const subkey = (seed: number, n: number, i: number) => random.split(random.key(seed), n).slice(i);

/** The k smallest positions of uniform(key, [n]): how outlier positions are picked from a key. */
const positionsOf = async (key: JaxArray, n: number, k: number) =>
  (await data(np.argsort(random.uniform(key, [n])).slice([0, k]))).sort((a, b) => a - b);

/** Positions where `outliers` differs from the normal draw of the same seed. */
async function outlierPositions(seed: number, n: number): Promise<number[]> {
  const normal = await generateWeights('normal', n, { seed });
  const outliers = await generateWeights('outliers', n, { seed });
  const at: number[] = [];
  for (let i = 0; i < n; i++) if (outliers[i] !== normal[i]) at.push(i);
  return at;
}

describe('seeded weights (SPEC §2.1 seed)', () => {
  it('seed 95, 4×4, std 0.5 is random.normal(random.key(95), [4, 4]).mul(0.5), element for element', async () => {
    const expected = await data(random.normal(random.key(95), [4, 4]).mul(0.5));
    const got = Array.from(await generateWeights('normal', 16, { seed: 95, std: 0.5 }));
    assert.deepEqual(got, expected);
    // The figures the seed article prints, as jax-js 0.1.25 gives them.
    assert.deepEqual(
      got.slice(0, 4).map((v) => v.toFixed(4)),
      ['-0.3328', '-0.2207', '0.5412', '0.9742'],
    );
  });

  it('is random.normal(random.key(seed)) · std for other seeds, sizes and spreads, up to the seed range', async () => {
    for (const [seed, n, std] of [
      [0, 7, 1],
      [1, 300, 0.02],
      [4_294_967_295, 33, 3.5],
    ]) {
      const expected = await data(random.normal(random.key(seed), [n]).mul(std));
      assert.deepEqual(
        Array.from(await generateWeights('normal', n, { seed, std })),
        expected,
        `seed ${seed}`,
      );
    }
  });

  it('outliers scale 0.1% of the same normal draw, at positions from split(key, 4)[3]', async () => {
    const n = 20_000;
    const k = Math.round(n * OUTLIER_SHARE);
    const at = await outlierPositions(95, n);
    assert.equal(at.length, k);
    assert.deepEqual(at, await positionsOf(subkey(95, 4, 3), n, k));
  });

  it('outlier positions are apart from the normal draw (not one of the keys normal uses inside)', async () => {
    const n = 20_000;
    const k = Math.round(n * OUTLIER_SHARE);
    const at = await outlierPositions(95, n);
    // normal(key) draws from split(key, 2) = split(key, 3)[0..1] = split(key, 4)[0..1].
    for (const [split, i] of [
      [2, 0],
      [2, 1],
      [3, 1],
    ])
      assert.notDeepEqual(at, await positionsOf(subkey(95, split, i), n, k), `split(key, ${split})[${i}]`);
    // Positions from normal's angle key would pick the smallest angles, where cos ≈ 1: all the
    // picked weights positive. Apart from it, their signs are a fair coin.
    const base = await generateWeights('normal', 100_000, { seed: 5 });
    const picked = await outlierPositions(5, 100_000);
    const negative = picked.filter((i) => base[i] < 0).length;
    assert.ok(negative > 25 && negative < 75, `${negative} of ${picked.length} outliers negative`);
  });

  it('the rounding noise is uniform(split(key, 4)[2]): apart from the weights and the positions', async () => {
    const n = 64;
    const noise = await roundingNoiseData(95, n);
    assert.deepEqual(Array.from(noise), await data(random.uniform(subkey(95, 4, 2), [n])));
    for (const i of [0, 1, 3])
      assert.notDeepEqual(Array.from(noise), await data(random.uniform(subkey(95, 4, i), [n])), `[${i}]`);
  });
});
