import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { qatHint } from '../../src/components/quant-inference/quant-inference.qat.js';

describe('QAT hint', () => {
  const base = { steps: 200, float: 0.9675 };

  it('under gptq names the method and says QAT starts from round-to-nearest', () => {
    const text = qatHint({ ...base, ptq: 0.963, method: 'gptq', bits: 3 });
    assert.match(text, /starting from the trained float weights quantized round-to-nearest/);
    assert.match(text, /not GPTQ's weights: GPTQ gives 96\.3%/);
    assert.doesNotMatch(text, /post-training quantization gives/);
    assert.doesNotMatch(text, /try .* bits/);
  });

  it('never suggests the current width or more', () => {
    assert.match(qatHint({ ...base, ptq: 0.965, method: 'rtn', bits: 4 }), /try 2 or 3 bits/);
    const at3 = qatHint({ ...base, ptq: 0.965, method: 'rtn', bits: 3 });
    assert.match(at3, /try 2 bits/);
    assert.doesNotMatch(at3, /3 bits/);
    assert.doesNotMatch(qatHint({ ...base, ptq: 0.965, method: 'rtn', bits: 2 }), /try/);
  });
});
