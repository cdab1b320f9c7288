import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG, checkConfigValue, resolveConfig } from '../../src/core/config.js';
import { CONFIG_FIELDS, WEIGHT_FIELDS, shapeField } from '../../src/core/fields.js';
import { QuantError } from '../../src/core/errors.js';

describe('the field table: one source for ranges, messages and defaults', () => {
  it('gives the core its defaults', () => {
    for (const [key, field] of Object.entries(CONFIG_FIELDS))
      assert.equal(DEFAULT_CONFIG[key as keyof typeof DEFAULT_CONFIG], field.default, key);
    assert.deepEqual(
      { std: WEIGHT_FIELDS.std.default, seed: CONFIG_FIELDS.seed.default },
      { std: 0.5, seed: 95 },
    );
  });

  it('the core rejects with the same sentence an attribute error shows', () => {
    for (const [key, value] of [
      ['bits', 17],
      ['groupSize', 1],
      ['percentile', 50],
      ['scheme', 'asymmetric'],
    ] as const) {
      const allowed = CONFIG_FIELDS[key].allowed;
      assert.equal(checkConfigValue(key, value), allowed);
      assert.throws(
        () => resolveConfig({ [key]: value }),
        (e: unknown) => e instanceof QuantError && e.code === 'invalid-config' && e.message.includes(allowed),
      );
    }
  });

  it('names the rule a valid-looking number breaks: the cap of std, the range of seed', () => {
    assert.equal(WEIGHT_FIELDS.std.parse('1e30'), undefined);
    assert.match(WEIGHT_FIELDS.std.allowed, /positive number below 1e30/);
    assert.equal(WEIGHT_FIELDS.std.parse('1e29'), 1e29);
    const seed = CONFIG_FIELDS.seed;
    // A jax-js key's uint32: no two seeds share weights, so the range is named, not wrapped.
    for (const text of ['99999999999', '-4294967296', '-1', '4294967296', '99999999999999999'])
      assert.equal(seed.parse(text), undefined, text);
    assert.equal(seed.parse('0'), 0);
    assert.equal(seed.parse('4294967295'), 4_294_967_295);
    assert.equal(seed.allowed, 'an integer from 0 to 4294967295');
    assert.equal(checkConfigValue('seed', -1), seed.allowed);
    assert.equal(checkConfigValue('seed', 2 ** 32), seed.allowed);
  });

  it('parses attribute text strictly, and agrees with valid() on typed values', () => {
    const bits = CONFIG_FIELDS.bits;
    for (const text of ['1', '17', '4.5', 'eight', '', ' ', '0x8', '8px', '8.0'])
      assert.equal(bits.parse(text), undefined, text);
    assert.equal(bits.parse(' 8 '), 8);
    const groupSize = CONFIG_FIELDS.groupSize;
    for (const text of ['1', '-2', '2.5']) assert.equal(groupSize.parse(text), undefined, text);
    assert.equal(groupSize.parse('3'), 3); // need not divide a row (SPEC §3 rev. 2)
    const percentile = CONFIG_FIELDS.percentile;
    assert.deepEqual(['50', '50.0001', '100', '100.1'].map(percentile.parse), [
      undefined,
      50.0001,
      100,
      undefined,
    ]);
    for (const [key, field] of Object.entries(CONFIG_FIELDS)) {
      assert.equal(field.valid(field.default), true, key);
      assert.equal(field.parse(field.format(field.default as never)), field.default, key);
    }
  });

  it('shape: ROWSxCOLS within the limits, formatted back the same way', () => {
    const shape = shapeField([4, 4]);
    assert.deepEqual(shape.parse('3x5'), [3, 5]);
    assert.deepEqual(shape.parse('7'), [7]);
    for (const bad of ['0x4', '4097x1', '4096x4096', '4x4x4', 'x4', ''])
      assert.equal(shape.parse(bad), undefined, bad);
    assert.equal(shape.format([3, 5]), '3x5');
    assert.equal(shape.valid([2048, 2048]), true);
    assert.equal(shape.valid([4096, 4096]), false);
  });
});

describe('group-fields (SPEC §2.1 rev. 3)', async () => {
  const { GROUP_FIELDS_FIELD, GROUP_ATTRIBUTES } = await import('../../src/internal/fields.js');
  it('is all by default, or the config attributes an element takes from its group', () => {
    const f = GROUP_FIELDS_FIELD;
    assert.equal(f.default, 'all');
    assert.equal(f.parse(' all '), 'all');
    assert.deepEqual(f.parse('bits group-size'), ['bits', 'group-size']);
    assert.deepEqual(f.parse('format'), ['format']);
    assert.equal(f.format(['bits', 'group-size']), 'bits group-size');
    assert.deepEqual(Object.values(GROUP_ATTRIBUTES), [
      'bits',
      'scheme',
      'granularity',
      'group-size',
      'rounding',
      'calibration',
      'percentile',
      'format',
    ]);
  });
  it('rejects names that are not config attributes, camelCase, repeats and the empty list', () => {
    for (const bad of ['', ' ', 'groupSize', 'seed', 'bits bits', 'bits all', 'distribution', 'none'])
      assert.equal(GROUP_FIELDS_FIELD.parse(bad), undefined, bad);
    assert.equal(GROUP_FIELDS_FIELD.valid(['bits']), true);
    assert.equal(GROUP_FIELDS_FIELD.valid(['seed']), false);
    assert.equal(GROUP_FIELDS_FIELD.valid([]), false);
  });
});
