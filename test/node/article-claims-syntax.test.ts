/** The article's claim markup (demo/claims-syntax.ts): predicates parsed, never evaluated as script. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  figureWidth,
  formatFigure,
  holds,
  mergeConfigs,
  parseClaim,
  parseConfig,
  withNoun,
} from '../../demo/claims-syntax.js';

describe('article claim syntax', () => {
  it('parses "name op number" lists and evaluates them', () => {
    const ps = parseClaim('redShare == 0; purpleShare > 0.5 ; x <= -1e-3');
    assert.deepEqual(
      ps.map((p) => [p.name, p.op, p.value]),
      [
        ['redShare', '==', 0],
        ['purpleShare', '>', 0.5],
        ['x', '<=', -0.001],
      ],
    );
    assert.equal(holds(ps[1], 0.51), true);
    assert.equal(holds(ps[1], 0.5), false);
    assert.equal(holds(ps[2], -0.002), true);
  });

  it('writes a counted figure with its noun, singular for 1 (data-plural)', () => {
    const plural = 'flipped prediction|flipped predictions';
    assert.equal(withNoun('1', 1, plural), '1 flipped prediction');
    assert.equal(withNoun('0', 0, plural), '0 flipped predictions');
    assert.equal(withNoun('2', 2, plural), '2 flipped predictions');
    assert.equal(withNoun('3', 3, undefined), '3');
    assert.throws(() => withNoun('1', 1, 'prediction'), SyntaxError);
  });

  it("reserves a verdict's shortest answer, not its longest", () => {
    assert.equal(figureWidth('pick:no|a much longer answer|maybe'), 2);
  });

  it('rejects anything that is not a comparison (no script, no typo passes)', () => {
    for (const bad of ['alert(1) > 0', 'a > b', 'a => 1', 'a > 1 + 1', 'a ≥ 1', '> 1'])
      assert.throws(() => parseClaim(bad), SyntaxError, bad);
  });

  it('merges configs outermost first, vs key by key', () => {
    const c = mergeConfigs([
      parseConfig('{"shape":"8x16","bits":4,"vs":{"granularity":"tensor"}}'),
      parseConfig('{"bits":8,"vs":{"bits":2}}'),
    ]);
    assert.deepEqual(c, { shape: '8x16', bits: 8, vs: { granularity: 'tensor', bits: 2 } });
    assert.throws(() => parseConfig('[1]'), SyntaxError);
    assert.throws(() => parseConfig('{bits: 8}'), SyntaxError);
  });

  it('formats figures as written in the prose', () => {
    assert.equal(formatFigure(0.153, '%1'), '15.3%');
    assert.equal(formatFigure(-0.33282, '4'), '−0.3328');
    assert.equal(formatFigure(0.0018000754, 'g6'), '0.00180008');
    assert.equal(formatFigure(16384, 'int'), '16,384');
    assert.equal(formatFigure(Infinity, '1'), '∞');
    assert.throws(() => formatFigure(1, 'x'), SyntaxError);
    assert.equal(formatFigure(0, 'pick:slower|same|faster'), 'slower');
    assert.equal(formatFigure(2, 'pick:slower|same|faster'), 'faster');
    assert.throws(() => formatFigure(3, 'pick:slower|same|faster'), RangeError);
    assert.throws(() => formatFigure(0.5, 'pick:slower|same|faster'), RangeError);
  });
});
