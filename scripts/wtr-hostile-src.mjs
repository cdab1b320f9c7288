// @ts-check
/**
 * Hostile `src` answers for the reliability suite (test/reliability/bad-src.test.ts), under
 * `/__src/<case>`. The test owns the bytes of most cases (`store`, then `stored`: a POSTed answer
 * keeps URLs and messages short); the server owns what only
 * a server can do: hold a response, cut it short, stream it without a length, send more than the
 * limit. `?id=X` records how much each streamed answer sent and whether the browser hung up,
 * read back at `/__src/stats?id=X`.
 */
import { PassThrough, Readable } from 'node:stream';

const CHUNK = Buffer.alloc(64 * 1024, 0x30); // "000…": digits, so a prefix is no valid file
/** Longest any test holds a connection (a stalled case the browser never drops). */
const HOLD_MS = 30000;

/** @type {Map<string, {sent: number, closed: boolean}>} */
const stats = new Map();
/** @type {Map<string, {status: number, type: string, body: Buffer}>} */
const answers = new Map();

/**
 * @param {import('koa').Context} ctx
 * @returns {{sent: number, closed: boolean}}
 */
function track(ctx) {
  const entry = { sent: 0, closed: false };
  const id = ctx.query.id;
  if (typeof id === 'string') stats.set(id, entry);
  ctx.res.once('close', () => (entry.closed = true));
  return entry;
}

/**
 * `bytes` of "0"s, produced only as fast as the browser reads them.
 * @param {{sent: number}} entry
 * @param {number} bytes
 */
function zeros(entry, bytes) {
  return new Readable({
    read() {
      if (entry.sent >= bytes) return void this.push(null);
      const part = CHUNK.subarray(0, Math.min(CHUNK.length, bytes - entry.sent));
      entry.sent += part.length;
      this.push(part);
    },
  });
}

/**
 * A body that sends `head` and then nothing, until the browser hangs up.
 * @param {import('koa').Context} ctx
 * @param {string} head
 */
function stalled(ctx, head) {
  const body = new PassThrough();
  body.write(head);
  const timer = setTimeout(() => body.end(), HOLD_MS);
  ctx.res.once('close', () => {
    clearTimeout(timer);
    body.destroy();
  });
  return body;
}

/** @type {Record<string, (ctx: import('koa').Context) => Promise<void> | void>} */
const cases = {
  /** Keeps the POSTed body as answer `id`, with `status` and `type` (the test owns the bytes). */
  async store(ctx) {
    const parts = [];
    for await (const part of ctx.req) parts.push(part);
    const {
      id,
      status = '200',
      type = 'application/octet-stream',
    } = /** @type {Record<string, string>} */ (ctx.query);
    answers.set(id, { status: Number(status), type, body: Buffer.concat(parts) });
    ctx.body = 'stored';
  },
  /** Answer `id` as stored; `cors=1` lets any origin read it. */
  stored(ctx) {
    const answer = answers.get(String(ctx.query.id));
    if (!answer) return void (ctx.status = 410);
    ctx.status = answer.status;
    ctx.type = answer.type;
    ctx.body = answer.body;
    if (ctx.query.cors === '1') {
      ctx.set('Access-Control-Allow-Origin', '*');
      ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    }
  },
  /** A redirect to `to`. */
  redirect(ctx) {
    ctx.redirect(String(ctx.query.to));
  },
  /** Headers never come. */
  async 'stall-headers'(ctx) {
    track(ctx);
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, HOLD_MS);
      ctx.res.once('close', () => resolve(clearTimeout(timer)));
    });
    ctx.status = 204;
  },
  /** Headers and the start of a JSON array, then nothing. */
  'stall-body'(ctx) {
    track(ctx);
    ctx.type = 'application/json';
    ctx.body = stalled(ctx, '[1, 2, ');
  },
  /** Announces 1000 bytes, sends 100, and drops the connection. */
  truncated(ctx) {
    ctx.type = 'application/json';
    ctx.length = 1000;
    const body = new PassThrough();
    body.write(`[${'1, '.repeat(32)}1`);
    setTimeout(() => ctx.req.socket.destroy(), 50);
    ctx.body = body;
  },
  /** A Content-Length past `bytes` (the body streams lazily: it is there if the browser reads it). */
  'over-length'(ctx) {
    const entry = track(ctx);
    const bytes = Number(ctx.query.bytes);
    ctx.type = 'application/octet-stream';
    ctx.length = bytes;
    ctx.body = zeros(entry, bytes);
  },
  /** `bytes` streamed chunked, with no length. */
  chunked(ctx) {
    const entry = track(ctx);
    ctx.type = 'application/octet-stream';
    ctx.body = zeros(entry, Number(ctx.query.bytes));
  },
  /** A flat JSON array of `count` zeros (built here: it is megabytes). */
  'json-zeros'(ctx) {
    const count = Number(ctx.query.count);
    ctx.type = 'application/json';
    ctx.body = `[${'0,'.repeat(count - 1)}0]`;
  },
  stats(ctx) {
    ctx.type = 'application/json';
    ctx.body = JSON.stringify(stats.get(String(ctx.query.id)) ?? null);
  },
};

/** @param {import('koa').Context} ctx @param {() => Promise<unknown>} next */
export function hostileSources(ctx, next) {
  if (!ctx.path.startsWith('/__src/')) return next();
  const answer = cases[ctx.path.slice('/__src/'.length)];
  if (!answer) return next();
  ctx.set('Cache-Control', 'no-store');
  return answer(ctx);
}
