/**
 * Bad `src` files (issue 21, SPEC §4): HTTP failures, bytes that are no weights, files over the
 * limits, answers that never come, URLs that must not load. Each is a `bad-source` error naming
 * the cause, shown in the alert, with nothing thrown; the element keeps its weights, computes
 * nothing new, and once `src` is removed gives the same result as a fresh element. The answers
 * come from the test server (scripts/wtr-hostile-src.mjs).
 */
import { expect } from '@open-wc/testing';
import { MAX_SOURCE_BYTES } from '../../src/core/index.js';
import type { QuantErrorDetail } from '../../src/internal/events.js';
import { SOURCE_TIMEOUT_MS, setSourceTimeout } from '../../src/internal/load-source.js';
import { after as afterAction, part } from '../helpers/element.js';
import { npyBytes, type NpyOptions } from '../helpers/npy.js';
import { nextEvent, sleep } from '../helpers/wait.js';
import {
  SUBJECTS,
  create,
  expectSameAsFresh,
  settled,
  uncaught,
  type Subject,
  type Widget,
} from './subjects.js';

let ids = 0;
/** An id no earlier run of the server has seen. */
const uniqueId = (kind: string) => `${kind}-${Date.now()}-${ids++}`;

/** A src that answers `body` with `status` and `type` (stored on the server first: short URLs). */
function respond(body: string | Uint8Array<ArrayBuffer>, status = 200, type = 'application/octet-stream') {
  return async (): Promise<string> => {
    const id = uniqueId('answer');
    const query = `id=${id}&status=${status}&type=${encodeURIComponent(type)}`;
    const stored = await fetch(`/__src/store?${query}`, { method: 'POST', body });
    expect(stored.ok, 'the test server stored the answer').to.equal(true);
    return `/__src/stored?id=${id}`;
  };
}

const npy = (values: number[], shape: number[], options?: NpyOptions) =>
  respond(npyBytes(values, shape, options));
const json = (text: string) => respond(text, 200, 'application/json');

/** Every numpy dtype kind but float32/float64 (bool, ints, half, long double, complex, text, objects, times, void). */
const UNSUPPORTED_DTYPES = [
  '|b1', '|i1', '<i2', '<i4', '<i8', '|u1', '<u2', '<u4', '<u8', '<f2', '>f2', '<f16',
  '<c8', '<c16', '|S4', '<U4', '|O', '<M8[ns]', '<m8[s]', '|V8',
]; // prettier-ignore

/** The other name of this host: a different origin on the same server. */
const otherOrigin = () =>
  `${location.protocol}//${location.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1'}:${location.port}`;

/** A fresh id for a tracked server answer, and a reader of what the server saw of it. */
function tracked(): { id: string; stats(): Promise<{ sent: number; closed: boolean } | null> } {
  const id = uniqueId('tracked');
  return { id, stats: () => fetch(`/__src/stats?id=${id}`).then((r) => r.json()) };
}

/** Waits for the server to see the browser hang up on a tracked answer. */
async function hungUp(t: ReturnType<typeof tracked>, ms = 5000): Promise<{ sent: number; closed: boolean }> {
  const deadline = performance.now() + ms;
  for (;;) {
    const s = await t.stats();
    if (s?.closed || performance.now() > deadline) return s ?? { sent: 0, closed: false };
    await sleep(50);
  }
}

interface BadSource {
  name: string;
  src: string | (() => string | Promise<string>);
  /** What the message must say about the cause. */
  says: RegExp;
  /** Runs around the case (e.g. a short timeout), and checks the server's side afterwards. */
  around?(run: () => Promise<void>): Promise<void>;
}

const LIMIT = MAX_SOURCE_BYTES;

function badSources(): BadSource[] {
  const cases: BadSource[] = [
    { name: 'HTTP 404', src: respond('not found', 404, 'text/plain'), says: /HTTP 404/ },
    {
      name: 'HTTP 500 with a valid body',
      src: respond('[1, 2, 3]', 500, 'application/json'),
      says: /HTTP 500/,
    },
    { name: 'HTTP 403', src: respond('', 403), says: /HTTP 403/ },
    { name: 'HTTP 204 (no content)', src: respond('', 204), says: /empty|no values|not valid JSON/ },
    {
      name: 'a redirect to a 404',
      src: async () => `/__src/redirect?to=${encodeURIComponent(await respond('gone', 404)())}`,
      says: /HTTP 404/,
    },
    { name: 'an empty file', src: json(''), says: /empty|not valid JSON/ },
    { name: 'whitespace only', src: json(' \n\t '), says: /empty|not valid JSON/ },
    {
      name: 'wrong magic bytes',
      src: respond(Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x5a, 1, 0, 0x76, 0, 0x7b)),
      says: /magic|not valid JSON/,
    },
    {
      name: 'a .npy truncated in its header',
      src: respond(npyBytes([1, 2], [2]).subarray(0, 40)),
      says: /truncated/,
    },
    {
      name: 'a .npy truncated in its data',
      src: respond(npyBytes([1, 2, 3, 4], [4]).subarray(0, 64 + 6)),
      says: /truncated/,
    },
    { name: 'a .npy of version 4', src: npy([1, 2], [2], { version: 4 }), says: /version 4/ },
    {
      name: 'a .npy header without descr',
      src: npy([1, 2], [2], { header: "{'fortran_order': False, 'shape': (2,), }" }),
      says: /malformed/,
    },
    {
      name: 'a structured dtype',
      src: npy([1, 2], [2], { header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }" }),
      says: /malformed/,
    },
    ...UNSUPPORTED_DTYPES.map((descr) => ({
      name: `dtype ${descr}`,
      src: npy([1, 2, 3, 4], [4], { descr }),
      says: new RegExp(`dtype ${descr.replace(/[[\]|]/g, '\\$&')} is not supported`),
    })),
    { name: 'a 0-D .npy', src: npy([1], []), says: /0-D/ },
    { name: 'a 3-D .npy', src: npy([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]), says: /3-D/ },
    { name: 'a 0-size .npy (0,)', src: npy([], [0]), says: /no values/ },
    { name: 'a 0-size .npy (0, 4)', src: npy([], [0, 4]), says: /no values|dimension/ },
    { name: 'NaN in a .npy', src: npy([1, NaN, 3], [3]), says: /value 1 is NaN/ },
    { name: 'Infinity in a .npy', src: npy([1, 2, -Infinity], [3], { descr: '<f8' }), says: /-Infinity/ },
    {
      name: 'a float64 beyond float32',
      src: npy([1, 1e39], [2], { descr: '>f8' }),
      says: /value 1 is Infinity/,
    },
    { name: 'a NaN literal in JSON', src: json('[1, NaN, 3]'), says: /not valid JSON/ },
    { name: 'JSON overflowing to Infinity', src: json('[1, 1e999]'), says: /value 1 is Infinity/ },
    { name: 'ragged JSON', src: json('[[1, 2], [3]]'), says: /row 1/ },
    { name: 'a string in JSON', src: json('[1, "2", 3]'), says: /"2", not a number/ },
    { name: 'a boolean in nested JSON', src: json('[[1, 2], [true, 3]]'), says: /true, not a number/ },
    { name: 'null in JSON', src: json('[0.5, null]'), says: /null, not a number/ },
    { name: 'a JSON object', src: json('{"weights": [1, 2]}'), says: /must be an array/ },
    { name: 'a bare JSON number', src: json('1.5'), says: /must be an array/ },
    { name: 'an empty JSON array', src: json('[]'), says: /no values/ },
    { name: 'an array of empty rows', src: json('[[], []]'), says: /no values/ },
    { name: 'JSON nested three deep', src: json('[[[1, 2]], [[3, 4]]]'), says: /not a number/ },
    { name: 'a row mixed into a flat array', src: json('[1, [2, 3]]'), says: /not a number/ },
    {
      name: 'over the count limit (.npy header)',
      src: npy([], [4_194_305]),
      says: /4194305 values is more than the 4194304 allowed/,
    },
    {
      name: 'a dimension over 4096 (.npy)',
      src: npy(new Array(4097).fill(0.5), [4097, 1]),
      says: /each dimension must be 1–4096/,
    },
    {
      name: 'over the count limit (JSON, 8 MB)',
      src: '/__src/json-zeros?count=4194305',
      says: /4194305 values is more than the 4194304 allowed/,
    },
    {
      name: 'a flat array too long for one row and no shape',
      src: json(JSON.stringify(new Array(5000).fill(0.25))),
      says: /5000 values in one row: set shape/,
    },
    {
      // The message quotes the src shortened, like every other (a data: URL can be megabytes).
      name: 'a long data: URL too long for one row (the message stays short)',
      src: `data:application/json,[${'0.25,'.repeat(4999)}0.25]`,
      says: /^data:application\/json,\[0\.25,0\.25,.{0,60}5000 values in one row: set shape/,
    },
    {
      name: 'an HTML page with 200',
      src: respond('<!doctype html><title>Home</title><p>[1, 2]', 200, 'text/html'),
      says: /not valid JSON/,
    },
    {
      name: 'a data: URL with an HTML script',
      src: 'data:text/html,<script>alert(1)</script>',
      says: /not valid JSON/,
    },
    { name: 'a data: URL with NaN', src: 'data:application/json,[1,NaN]', says: /not valid JSON/ },
    {
      name: 'a long bad data: URL (the message stays short)',
      src: `data:application/json,[${'1,'.repeat(5000)}"x"]`,
      says: /not a number/,
    },
    { name: 'a javascript: URL', src: 'javascript:alert(1)', says: /could not fetch/ },
    {
      name: 'a revoked blob: URL',
      src: () => {
        const url = URL.createObjectURL(new Blob(['[1, 2]']));
        URL.revokeObjectURL(url);
        return url;
      },
      says: /could not fetch/,
    },
    {
      name: 'another origin without CORS',
      src: async () => `${otherOrigin()}${await json('[1, 2, 3]')()}`,
      says: /could not fetch/,
    },
    {
      name: 'a body cut short (Content-Length 1000, 100 bytes, connection dropped)',
      src: '/__src/truncated',
      says: /could not (fetch|read)/,
    },
  ];
  // Answers only a server can give: each also checks what the server saw.
  const overLength = tracked();
  const chunked = tracked();
  const stallHeaders = tracked();
  const stallBody = tracked();
  const shortTimeout = (t: ReturnType<typeof tracked>) => async (run: () => Promise<void>) => {
    setSourceTimeout(300);
    try {
      await run();
    } finally {
      setSourceTimeout(SOURCE_TIMEOUT_MS);
    }
    expect((await hungUp(t)).closed, 'the stalled request was dropped').to.equal(true);
  };
  cases.push(
    {
      name: 'a Content-Length over the byte limit',
      src: `/__src/over-length?bytes=${LIMIT + 1}&id=${overLength.id}`,
      says: new RegExp(`larger than ${LIMIT} bytes`),
      async around(run) {
        await run();
        const s = await hungUp(overLength);
        expect(s.closed, 'the response was released').to.equal(true);
        expect(s.sent, 'bytes sent').to.be.below(LIMIT / 2);
      },
    },
    {
      name: 'streamed without a length past the byte limit',
      src: `/__src/chunked?bytes=${3 * LIMIT}&id=${chunked.id}`,
      says: new RegExp(`larger than ${LIMIT} bytes`),
      async around(run) {
        await run();
        const s = await hungUp(chunked);
        expect(s.closed, 'the response was released').to.equal(true);
        expect(s.sent, 'bytes sent (reading stops at the limit)').to.be.below(2 * LIMIT);
      },
    },
    {
      name: 'a server that never answers',
      src: `/__src/stall-headers?id=${stallHeaders.id}`,
      says: /did not arrive within 0.3 s/,
      around: shortTimeout(stallHeaders),
    },
    {
      name: 'a response that stalls after its headers',
      src: `/__src/stall-body?id=${stallBody.id}`,
      says: /did not arrive within 0.3 s/,
      around: shortTimeout(stallBody),
    },
  );
  return cases;
}

type WithData = Widget & { data: unknown };

/** One bad src on `el`: the SPEC §4 report, the old weights kept, nothing recomputed, src removed. */
async function rejects(el: WithData, c: BadSource): Promise<void> {
  const data = el.data;
  const result = el.result;
  const seen: QuantErrorDetail[] = [];
  const listen = (e: Event) => seen.push((e as CustomEvent<QuantErrorDetail>).detail);
  el.addEventListener('quant-error', listen);
  const alert = window.alert;
  let alerted = 0;
  window.alert = () => void alerted++;
  try {
    const src = typeof c.src === 'string' ? c.src : await c.src();
    const reported = nextEvent<QuantErrorDetail>(el, 'quant-error', 10000);
    el.setAttribute('src', src);
    await reported;
    await settled(el);
  } finally {
    el.removeEventListener('quant-error', listen);
    window.alert = alert;
  }
  expect(
    seen.map((e) => [e.code, e.attribute]),
    'one bad-source error',
  ).to.deep.equal([['bad-source', 'src']]);
  const [{ message }] = seen;
  expect(message).to.match(c.says);
  expect(message.length, 'a short message').to.be.below(400);
  expect(el.error).to.deep.equal(seen[0]);
  expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
  expect(part(el, 'error')!.textContent).to.contain(message);
  expect(el.data, 'the weights it had').to.equal(data);
  expect(el.result, 'nothing recomputed').to.equal(result);
  expect(alerted, 'alert() called').to.equal(0);
}

describe('bad src files (issue 21, SPEC §4)', function () {
  this.timeout(120000);
  const simulator = SUBJECTS.find((s) => s.tag === 'quant-simulator')!;
  let el: WithData;
  /** What a fresh simulator computes (the key every case must come back to). */
  let fresh: unknown;

  before(async () => {
    el = create(simulator) as WithData;
    await simulator.ready(el);
    fresh = await simulator.key(el);
  });
  after(() => el?.remove());

  const cases = badSources();
  it('has at least 30 cases', () => expect(cases.length).to.be.at.least(30));

  for (const c of cases) {
    it(`${c.name}: bad-source, old weights kept, then as fresh`, async () => {
      const watch = uncaught();
      const run = () => rejects(el, c);
      await (c.around ? c.around(run) : run());
      await afterAction(el, () => el.removeAttribute('src'));
      expect(el.error).to.equal(null);
      expect(await simulator.key(el)).to.deep.equal(fresh);
      expect(watch.stop()).to.deep.equal([]);
    });
  }

  it('another origin that allows CORS loads (so the case above is about CORS)', async () => {
    const src = `${otherOrigin()}${await json('[[0.5, -1], [2, 0.25]]')()}&cors=1`;
    await afterAction(el, () => el.setAttribute('src', src));
    expect(el.error).to.equal(null);
    expect((el.result as { shape: number[] }).shape).to.deep.equal([2, 2]);
    await afterAction(el, () => el.removeAttribute('src'));
  });

  it('a data:application/json src is accepted, and gives a fresh element’s result', async () => {
    const watch = uncaught();
    await afterAction(el, () =>
      el.setAttribute('src', 'data:application/json,[[0.5,-1,0.25],[2,0.125,-0.75]]'),
    );
    expect(el.error).to.equal(null);
    expect((el.result as { shape: number[] }).shape).to.deep.equal([2, 3]);
    await expectSameAsFresh(simulator, el);
    await afterAction(el, () => el.removeAttribute('src'));
    expect(watch.stop()).to.deep.equal([]);
  });

  // The other elements that read weights share the loader; one case each shows they report it alike.
  for (const tag of ['quant-histogram', 'quant-heatmap']) {
    it(`<${tag}>: a bad src is reported the same way and recovers`, async () => {
      const subject = SUBJECTS.find((s) => s.tag === tag) as Subject;
      const other = create(subject) as WithData;
      try {
        await subject.ready(other);
        const key = await subject.key(other);
        await rejects(other, { name: 'ragged', src: json('[[1, 2], [3]]'), says: /row 1/ });
        await afterAction(other, () => other.removeAttribute('src'));
        expect(await subject.key(other)).to.deep.equal(key);
      } finally {
        other.remove();
      }
    });
  }
});
