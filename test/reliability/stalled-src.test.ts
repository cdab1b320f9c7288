/**
 * A `src` that never finishes (issue 21 item 6): a response that sends headers and stalls ends in
 * `bad-source` at the timeout; one that streams without a length past the byte limit ends in
 * `bad-source` as soon as it passes it. Nothing of either is kept, and a new `src` works.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/quant-simulator/quant-simulator.js';
import type { QuantSimulator } from '../../src/components/quant-simulator/quant-simulator.js';
import { MAX_SOURCE_BYTES } from '../../src/core/source.js';
import { SOURCE_TIMEOUT_MS, setSourceTimeout } from '../../src/internal/load-source.js';
import type { QuantErrorDetail } from '../../src/internal/events.js';
import { nextEvent, whenReady } from '../helpers/wait.js';

const GOOD = '/test/fixtures/weights-4x4.json';

async function failsThenRecovers(url: string, expected: RegExp): Promise<number> {
  const el = await fixture<QuantSimulator>(html`<quant-simulator loading="eager"></quant-simulator>`);
  await whenReady(el);
  const before = Array.from(el.result!.codes);
  const t0 = performance.now();
  const failed = nextEvent<QuantErrorDetail>(el, 'quant-error', 20000);
  el.src = url;
  const { detail } = await failed;
  const elapsed = performance.now() - t0;
  expect(detail.code).to.equal('bad-source');
  expect(detail.attribute).to.equal('src');
  expect(detail.message).to.match(expected);
  // Nothing of the bad response kept: the generated weights stay.
  expect(Array.from(el.result!.codes)).to.deep.equal(before);
  expect(el.result!.shape).to.deep.equal([4, 4]);
  const loaded = nextEvent(el, 'quant-result', 20000);
  el.src = GOOD;
  await loaded;
  expect(el.error).to.equal(null);
  expect(Array.from(el.result!.dequantized).at(-1)).to.be.closeTo(-0.125, 0.02);
  return elapsed;
}

/**
 * Counts the body bytes the page's fetches of `url` hand to their reader (through a pass-through
 * stream, which pulls at most a chunk ahead of it), until `stop()`.
 */
function countBodyBytes(url: string): { readonly bytes: number; stop(): void } {
  const original = window.fetch;
  let bytes = 0;
  window.fetch = async (input, init) => {
    const response = await original(input, init);
    if (!String(input).endsWith(url) || !response.body) return response;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const { status, statusText, headers } = response;
    return new Response(response.body.pipeThrough(counter), { status, statusText, headers });
  };
  return {
    get bytes() {
      return bytes;
    },
    stop: () => (window.fetch = original),
  };
}

describe('a src that never finishes', () => {
  afterEach(() => setSourceTimeout(SOURCE_TIMEOUT_MS));

  it('headers, then a stall: bad-source at the (settable) timeout', async () => {
    setSourceTimeout(800);
    const elapsed = await failsThenRecovers('/__stall/headers', /did not arrive within 0\.8 s/);
    expect(elapsed).to.be.within(700, 5000);
  });

  it('streamed without a length past the byte limit: bad-source, stopped at the limit', async () => {
    // The stream stalls after 64 MB: a reader that does not stop at the limit meets the timeout.
    setSourceTimeout(10000);
    const id = `stream-${Math.random().toString(36).slice(2)}`;
    const url = `/__stall/stream?id=${id}`;
    const read = countBodyBytes(url);
    let elapsed: number;
    try {
      elapsed = await failsThenRecovers(url, new RegExp(`larger than ${MAX_SOURCE_BYTES} bytes`));
    } finally {
      read.stop();
    }
    // 1 MB every 5 ms or more: the limit (32 MB) arrives in ~0.2–1 s here.
    expect(elapsed, 'ms until the error').to.be.below(5000);
    // The kit read the limit and one network chunk more (passing pulls at most a chunk ahead).
    expect(read.bytes, 'bytes read').to.be.within(MAX_SOURCE_BYTES, MAX_SOURCE_BYTES + 2 ** 21);
    // And cancelled the body: the server saw the client go (having sent what the sockets held
    // past it too: 34–47 MB measured, of 64).
    const { sent, closed } = (await (await fetch(`/__stall/sent?id=${id}`)).json()) as {
      sent: number;
      closed: boolean;
    };
    const mb = (b: number) => (b / 2 ** 20).toFixed(1);
    console.log(
      `stream: ${mb(read.bytes)} MB read, ${mb(sent)} MB sent, ${elapsed.toFixed(0)} ms to the error`,
    );
    expect(closed, 'the connection closed').to.equal(true);
  });

  it('the timeout must be a positive number', () => {
    for (const bad of [0, -1, NaN, Infinity]) expect(() => setSourceTimeout(bad)).to.throw(RangeError);
  });
});
