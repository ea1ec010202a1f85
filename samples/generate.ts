/**
 * Deterministic sample-dump generator.
 *
 *   node --import tsx samples/generate.ts --scale <n> --out <path.rdb> [--seed 42]
 *
 * Starts a private redis-server (see test/helpers/redis-server.ts), fills it
 * through `redis-cli --pipe` in batches, runs SAVE and copies the dump to --out.
 * Every value comes from a seeded PRNG (one independent stream per section), all
 * expiry times are absolute (PXAT relative to BASE_MS = 2030-01-01T00:00:00Z) and
 * stream IDs are explicit, so the same --scale/--seed always yields the same
 * logical data set. (The file is not byte-identical between runs: aux fields
 * such as ctime/used-mem, the dict iteration order of keys and hashtable
 * encoded values, and consumer-group delivery times come from the server.)
 *
 * The mix (most counts proportional to --scale; TTLs are measured from BASE_MS):
 *   db 0
 *     user:<id>            hashes, 5-15 fields (strings + integer counters); every
 *                          ~250th has 150-400 fields and every ~180th a long bio
 *                          (both become hashtable-encoded)
 *     session:<uuid>       200-600 byte JSON strings, TTL 1 hour .. 60 days
 *     cache:page:<path>    5-100 KB HTML-ish strings (repetitive, LZF-friendly), half with TTL
 *     counter:<name>       integer strings: small, negative and > 2^32
 *     rate:<ip>            small integers, TTL 1-300 s
 *     queue:<name>         lists: many small JSON-job lists, a few with 10k+ items, and
 *                          queue:uploads:blobs whose > 8 KB items are stored as plain
 *                          quicklist nodes (via DEBUG QUICKLIST-PACKED-THRESHOLD)
 *     tags:<id>            sets: small intsets (16/32/64-bit), all-integer sets with
 *                          > 512 members (hashtable), small and > 128 member string sets
 *                          (string sets are always hashtable in Redis 7.0)
 *     leaderboard:<name>   zsets: small listpack ones (integer scores), medium skiplist
 *                          ones (fractional scores), leaderboard:global with 5k members
 *                          (100k from scale 10)
 *     events:<name>        streams with explicit IDs, 2-4k entries, 1-3 consumer groups with
 *                          2-4 consumers and pending entries; events:audit has XDEL/XTRIM
 *                          deleted entries, events:empty has had its only entry deleted
 *     bin:*                binary (non-UTF-8) keys, values, hash fields and set members
 *     unicode keys         e.g. "user:名前:<n>", "emoji:🚀:<n>", "ключ:<n>"
 *   db 1  job:<id> hashes, lock:<id> strings with 5-120 s TTL, queue:jobs:<state> lists
 *   db 2  feature:<name> strings, config:<svc> hashes, delayed:<queue> zsets,
 *         online:<region> sets
 *
 * Sizes: scale 1 is < 2 MB; scale 370 is about 500 MB (the size is printed at the end).
 */
import { copyFile, mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { encodeCommand, startRedis, type RedisHandle } from '../test/helpers/redis-server.js';

/** Every expiry and stream ID is relative to this instant (2030-01-01T00:00:00Z). */
const BASE_MS = Date.UTC(2030, 0, 1);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------
// Seeded PRNG (mulberry32) and value helpers

class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Integer in [min, max], log-uniformly distributed (many small, few large). */
  logInt(min: number, max: number): number {
    return Math.floor(Math.exp(Math.log(min) + this.next() * (Math.log(max + 1) - Math.log(min))));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  hex(len: number): string {
    let s = '';
    while (s.length < len) s += Math.floor(this.next() * 0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, len);
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(0, 3)]}${h.slice(17, 20)}-${h.slice(20)}`;
  }

  bytes(len: number): Buffer {
    const b = Buffer.allocUnsafe(len);
    for (let i = 0; i < len; i++) b[i] = Math.floor(this.next() * 256);
    return b;
  }

  /** Base64-looking text: incompressible-ish payloads. */
  base64(len: number): string {
    return this.bytes(Math.ceil((len * 3) / 4)).toString('base64').slice(0, len);
  }

  words(n: number): string {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.pick(WORDS));
    return out.join(' ');
  }
}

/** FNV-1a, to derive one independent PRNG stream per section from the seed. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const FIRST = ['ada', 'alan', 'grace', 'linus', 'margaret', 'ken', 'barbara', 'dennis', 'frances', 'edsger', 'radia', 'john', 'sophie', 'yukihiro', 'guido', 'anders', 'mary', 'tim', 'hedy', 'niklaus'];
const LAST = ['lovelace', 'turing', 'hopper', 'torvalds', 'hamilton', 'thompson', 'liskov', 'ritchie', 'allen', 'dijkstra', 'perlman', 'mccarthy', 'wilson', 'matsumoto', 'van rossum', 'hejlsberg', 'shaw', 'berners-lee', 'lamarr', 'wirth'];
const DOMAINS = ['example.com', 'mail.test', 'corp.example', 'inbox.example.org', 'users.example.net'];
const PLANS = ['free', 'free', 'free', 'pro', 'pro', 'team', 'enterprise'];
const COUNTRIES = ['US', 'DE', 'FR', 'IN', 'BR', 'JP', 'GB', 'CA', 'NL', 'SE', 'PL', 'AU'];
const LOCALES = ['en-US', 'de-DE', 'fr-FR', 'pt-BR', 'ja-JP', 'en-GB', 'nl-NL', 'sv-SE'];
const WORDS = ['redis', 'memory', 'cache', 'stream', 'shard', 'replica', 'latency', 'pipeline', 'cluster', 'cursor', 'bucket', 'index', 'queue', 'worker', 'session', 'token', 'payload', 'vector', 'search', 'filter', 'render', 'widget', 'invoice', 'order', 'cart', 'product', 'review', 'rating', 'profile', 'avatar', 'billing', 'report', 'export', 'import', 'deploy', 'rollback', 'metric', 'alert', 'tenant', 'region'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
  'okhttp/4.12.0',
];
const QUEUES = ['email', 'webhooks', 'thumbnails', 'billing', 'exports', 'search-index', 'notifications', 'imports'];
const GAMES = ['chess', 'tetris', 'racing', 'trivia', 'puzzle', 'arena'];
const METRICS = ['pageviews', 'signups', 'logins', 'api_calls', 'errors', 'downloads', 'bytes_out', 'orders'];
const REGIONS = ['us-east', 'us-west', 'eu-central', 'eu-west', 'ap-south', 'ap-northeast'];

function ipFromIndex(i: number): string {
  const x = Math.imul(i + 1, 0x9e3779b1) >>> 0; // bijective scramble -> unique IPs
  return `${(x >>> 24) & 255}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`;
}

// ---------------------------------------------------------------------------
// Batched `redis-cli --pipe` writer. Encoding of the next batch overlaps with
// the server ingesting the previous one; batches run strictly in order.

class Pipeline {
  private chunks: Buffer[] = [];
  private size = 0;
  private db = 0;
  private inFlight: Promise<unknown> = Promise.resolve();
  commands = 0;

  constructor(
    private readonly redis: RedisHandle,
    private readonly batchBytes = 16 * 1024 * 1024,
  ) {}

  cmd(...args: (string | Buffer)[]): void {
    const buf = encodeCommand(args);
    this.chunks.push(buf);
    this.size += buf.length;
    this.commands++;
  }

  /** Send a command with a long argument list in slices of `per` items. */
  cmdChunked(head: (string | Buffer)[], items: (string | Buffer)[], per = 1000): void {
    for (let i = 0; i < items.length; i += per) this.cmd(...head, ...items.slice(i, i + per));
  }

  /** Switch database; each batch starts with SELECT of the db it was built for. */
  async select(db: number): Promise<void> {
    await this.flush();
    this.db = db;
  }

  /** Flush when the current batch is large enough; call after each key. */
  async tick(): Promise<void> {
    if (this.size >= this.batchBytes) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.chunks.length === 0) return;
    const batch = Buffer.concat([encodeCommand(['SELECT', String(this.db)]), ...this.chunks]);
    this.chunks = [];
    this.size = 0;
    await this.inFlight; // keep batches in order, at most one in flight
    this.inFlight = this.redis.pipe(batch);
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.inFlight;
  }
}

// ---------------------------------------------------------------------------
// Sections. Each gets its own PRNG stream so tuning one does not shift the others.

interface Ctx {
  p: Pipeline;
  scale: number;
  rng(section: string): Rng;
  /** round(base * scale), at least `min`. */
  n(base: number, min?: number): number;
}

async function users(c: Ctx): Promise<void> {
  const r = c.rng('users');
  const optional: Array<(id: number) => [string, string]> = [
    () => ['country', r.pick(COUNTRIES)],
    () => ['locale', r.pick(LOCALES)],
    () => ['last_login', String(Math.floor(BASE_MS / 1000) - r.int(0, 90 * 86400))],
    () => ['login_count', String(r.logInt(1, 50_000))],
    () => ['credits', String(r.int(-500, 100_000))],
    () => ['followers', String(r.logInt(1, 2_000_000))],
    () => ['following', String(r.int(0, 5000))],
    () => ['verified', r.chance(0.7) ? '1' : '0'],
    () => ['theme', r.pick(['light', 'dark', 'system'])],
    (id) => ['referrer', `user:${100_000 + r.int(0, Math.max(1, id - 100_000))}`],
    () => ['api_calls', String(r.logInt(1, 10_000_000_000))],
    () => ['storage_bytes', String(r.logInt(1000, 50_000_000_000))],
  ];
  const total = c.n(1350);
  for (let i = 0; i < total; i++) {
    const id = 100_000 + i;
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    const fields: string[] = [
      'name', `${first} ${last}`,
      'email', `${first}.${last.replace(/ /g, '')}${id}@${r.pick(DOMAINS)}`,
      'created_at', String(Math.floor(BASE_MS / 1000) - r.int(86400, 5 * 365 * 86400)),
      'plan', r.pick(PLANS),
    ];
    const extra = r.int(1, 11); // 5..15 fields in total
    const start = r.int(0, optional.length - 1);
    for (let k = 0; k < extra; k++) fields.push(...optional[(start + k) % optional.length]!(id));
    if (i % 250 === 7) {
      // many preference fields -> hashtable encoding (> 128 entries)
      const prefs = r.int(150, 400);
      for (let k = 0; k < prefs; k++) fields.push(`pref:${r.pick(WORDS)}:${k}`, r.chance(0.5) ? String(r.int(0, 100)) : r.pick(WORDS));
    }
    if (i % 180 === 3) fields.push('bio', r.words(r.int(15, 120))); // value > 64 bytes -> hashtable
    c.p.cmd('HSET', `user:${id}`, ...fields);
    await c.p.tick();
  }
}

async function sessions(c: Ctx): Promise<void> {
  const r = c.rng('sessions');
  const total = c.n(900);
  for (let i = 0; i < total; i++) {
    const sid = r.uuid();
    const target = r.int(200, 600);
    const doc: Record<string, unknown> = {
      sid,
      user_id: 100_000 + r.int(0, c.n(1350) - 1),
      created_at: BASE_MS - r.int(0, 30 * DAY),
      ip: ipFromIndex(r.int(0, 1_000_000)),
      csrf: r.hex(32),
      roles: r.chance(0.1) ? ['user', 'admin'] : ['user'],
      cart: [] as Array<{ sku: string; qty: number; price: number }>,
    };
    if (r.chance(0.6)) doc.user_agent = r.pick(AGENTS);
    const cart = doc.cart as Array<{ sku: string; qty: number; price: number }>;
    let json = JSON.stringify(doc);
    while (json.length < target) {
      cart.push({ sku: `SKU-${r.hex(6).toUpperCase()}`, qty: r.int(1, 5), price: r.int(199, 99_999) / 100 });
      json = JSON.stringify(doc);
    }
    const ttl = r.logInt(HOUR, 60 * DAY);
    c.p.cmd('SET', `session:${sid}`, json, 'PXAT', String(BASE_MS + ttl));
    await c.p.tick();
  }
}

function htmlPage(r: Rng, title: string, size: number): string {
  const parts: string[] = [
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>`,
    '<link rel="stylesheet" href="/static/css/main.3f9a1c.css"><script defer src="/static/js/app.8b2e4d.js"></script></head>',
    '<body><header class="site-header"><nav class="nav"><a href="/">Home</a><a href="/products">Products</a><a href="/blog">Blog</a><a href="/about">About</a></nav></header><main class="container">',
  ];
  let len = parts.join('').length;
  let n = 0;
  while (len < size - 200) {
    const item = `<div class="card" data-id="${r.int(1, 99_999)}"><h2 class="card-title">${r.words(r.int(2, 5))}</h2><p class="card-text">${r.words(r.int(8, 30))}</p><a class="btn btn-primary" href="/p/${r.int(1, 99_999)}">View details</a></div>\n`;
    parts.push(item);
    len += item.length;
    if (++n % 12 === 0) {
      parts.push('<div class="row"><div class="col-md-4"></div><div class="col-md-4"></div><div class="col-md-4"></div></div>\n');
      len += 100;
    }
  }
  parts.push('</main><footer class="site-footer"><p>&copy; 2030 Example Inc.</p></footer></body></html>');
  return parts.join('');
}

async function cachePages(c: Ctx): Promise<void> {
  const r = c.rng('cache');
  const total = c.n(12, 3);
  for (let i = 0; i < total; i++) {
    const kind = r.pick(['products', 'blog', 'docs', 'category']);
    const slug = `${r.pick(WORDS)}-${r.pick(WORDS)}-${i}`;
    const key = `cache:page:/${kind}/${slug}`;
    const html = htmlPage(r, slug, r.logInt(5 * 1024, 100 * 1024));
    if (r.chance(0.5)) c.p.cmd('SET', key, html, 'PXAT', String(BASE_MS + r.int(5 * MINUTE, DAY)));
    else c.p.cmd('SET', key, html);
    await c.p.tick();
  }
}

async function counters(c: Ctx): Promise<void> {
  const r = c.rng('counters');
  const total = c.n(1200);
  for (let i = 0; i < total; i++) {
    const key = `counter:${r.pick(METRICS)}:${i}`;
    const roll = r.next();
    let value: string;
    if (roll < 0.6) value = String(r.int(0, 1000));
    else if (roll < 0.8) value = String(r.int(1000, 10_000_000));
    else if (roll < 0.9) value = String(-r.int(1, 100_000));
    else value = (BigInt(r.int(1, 2 ** 30)) * 2n ** 32n + BigInt(r.int(0, 2 ** 31))).toString(); // > 2^32
    if (r.chance(0.2)) c.p.cmd('INCRBY', key, value);
    else c.p.cmd('SET', key, value);
    await c.p.tick();
  }
  const rates = c.n(1200);
  for (let i = 0; i < rates; i++) {
    c.p.cmd('SET', `rate:${ipFromIndex(i)}`, String(r.logInt(1, 500)), 'PXAT', String(BASE_MS + r.int(SECOND, 300 * SECOND)));
    await c.p.tick();
  }
}

async function queues(c: Ctx): Promise<void> {
  const r = c.rng('queues');
  const job = () =>
    JSON.stringify({ id: r.uuid(), type: r.pick(QUEUES), attempts: r.int(0, 3), enqueued_at: BASE_MS - r.int(0, DAY), args: r.words(r.int(1, 20)).split(' ') });

  const small = c.n(18);
  for (let i = 0; i < small; i++) {
    const items: string[] = [];
    const len = r.logInt(5, 200);
    for (let k = 0; k < len; k++) items.push(job());
    c.p.cmdChunked(['RPUSH', `queue:${r.pick(QUEUES)}:${i}`], items, 500);
    await c.p.tick();
  }

  // a few long lists (10k+ items): integer ids and short strings
  const long = 2 + Math.floor(c.scale / 25);
  for (let i = 0; i < long; i++) {
    const len = r.int(10_000, 11_000);
    const items: string[] = [];
    const first = r.int(1, 1_000_000);
    for (let k = 0; k < len; k++) items.push(i % 2 === 0 ? String(r.int(1, 5_000_000)) : `task:${first + k}`);
    c.p.cmdChunked(['RPUSH', `queue:backlog:${i}`], items);
    await c.p.tick();
  }

  // plain quicklist nodes: elements >= the packed threshold are stored one per plain node
  c.p.cmd('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '8192');
  const jobs = 100;
  const blobs = 3 + Math.floor(c.scale / 10);
  for (let k = 0; k < jobs + blobs; k++) {
    const item = k % 40 === 20 || k >= jobs ? `blob:${r.base64(r.int(9 * 1024, 16 * 1024))}` : job();
    c.p.cmd('RPUSH', 'queue:uploads:blobs', item);
  }
  c.p.cmd('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'); // back to the default (1 GB)
  await c.p.tick();
}

async function tags(c: Ctx): Promise<void> {
  const r = c.rng('tags');
  const small = c.n(800);
  for (let i = 0; i < small; i++) {
    const members = new Set<string>();
    const len = r.int(2, 60);
    const kind = r.next();
    while (members.size < len) {
      if (kind < 0.3) members.add(String(r.int(1, 30_000))); // int16 intset
      else if (kind < 0.45) members.add(String(r.int(-2_000_000_000, 2_000_000_000))); // int32 intset
      else if (kind < 0.5) members.add((BigInt(r.int(1, 2 ** 30)) * 2n ** 33n + BigInt(i)).toString()); // int64 intset
      else members.add(r.pick(WORDS) + (r.chance(0.3) ? `-${r.int(1, 99)}` : '')); // string set
    }
    c.p.cmd('SADD', `tags:${i}`, ...members);
    await c.p.tick();
  }
  const big = 1 + Math.floor(c.scale / 4);
  for (let i = 0; i < big; i++) {
    const ints = new Set<string>();
    const n = r.int(600, 3000); // > 512 integers -> hashtable
    while (ints.size < n) ints.add(String(r.int(1, 10_000_000)));
    c.p.cmdChunked(['SADD', `tags:followers:${i}`], [...ints]);
    const strs = new Set<string>();
    const m = r.int(150, 2000); // > 128 members
    while (strs.size < m) strs.add(`${r.pick(WORDS)}:${r.hex(6)}`);
    c.p.cmdChunked(['SADD', `tags:topics:${i}`], [...strs]);
    await c.p.tick();
  }
}

async function leaderboards(c: Ctx): Promise<void> {
  const r = c.rng('leaderboards');
  const small = c.n(80);
  for (let i = 0; i < small; i++) {
    const args: string[] = [];
    const len = r.int(5, 100);
    for (let k = 0; k < len; k++) args.push(String(r.int(0, 100_000)), `player:${r.int(1, 1_000_000)}`);
    c.p.cmd('ZADD', `leaderboard:${r.pick(GAMES)}:daily:${i}`, ...args);
    await c.p.tick();
  }
  const medium = 1 + Math.floor(c.scale / 4);
  for (let i = 0; i < medium; i++) {
    const args: string[] = [];
    const len = r.int(200, 3000);
    for (let k = 0; k < len; k++) args.push((r.next() * 10_000).toFixed(r.int(1, 6)), `player:${r.int(1, 1_000_000)}`);
    c.p.cmdChunked(['ZADD', `leaderboard:${r.pick(GAMES)}:season:${i}`], args, 2000);
    await c.p.tick();
  }
  const globalSize = c.scale >= 10 ? 100_000 : 5_000;
  const args: string[] = [];
  for (let k = 0; k < globalSize; k++) {
    const score = r.chance(0.5) ? String(r.int(0, 10_000_000)) : String(r.next() * 1e6 - 1000);
    args.push(score, `player:${k}`);
  }
  c.p.cmdChunked(['ZADD', 'leaderboard:global'], args, 2000);
  await c.p.tick();
}

const STREAM_KINDS: Record<string, (r: Rng) => string[]> = {
  clicks: (r) => ['user_id', String(r.int(100_000, 200_000)), 'page', `/${r.pick(WORDS)}/${r.int(1, 999)}`, 'referrer', r.chance(0.5) ? 'direct' : `https://${r.pick(DOMAINS)}/`],
  orders: (r) => ['order_id', r.uuid(), 'user_id', String(r.int(100_000, 200_000)), 'amount', (r.int(100, 500_000) / 100).toFixed(2), 'currency', r.pick(['USD', 'EUR', 'GBP', 'JPY']), 'status', r.pick(['created', 'paid', 'shipped'])],
  logins: (r) => ['user_id', String(r.int(100_000, 200_000)), 'ip', ipFromIndex(r.int(0, 1_000_000)), 'ok', r.chance(0.95) ? '1' : '0'],
  audit: (r) => ['actor', `user:${r.int(100_000, 200_000)}`, 'action', r.pick(['create', 'update', 'delete', 'grant', 'revoke']), 'target', `${r.pick(WORDS)}:${r.int(1, 9999)}`, 'detail', r.words(r.int(3, 12))],
};

async function streams(c: Ctx): Promise<void> {
  const r = c.rng('streams');
  const kinds = Object.keys(STREAM_KINDS).filter((k) => k !== 'audit');
  const count = 1 + Math.floor(c.scale / 3);
  for (let s = 0; s < count; s++) {
    const kind = kinds[s % kinds.length]!;
    const key = `events:${kind}:${s}`;
    const ids: string[] = [];
    let ms = BASE_MS - 7 * DAY;
    let seq = 0;
    const len = r.int(2000, 4000);
    for (let e = 0; e < len; e++) {
      const step = r.chance(0.1) ? 0 : r.logInt(1, 60_000); // some entries share a millisecond
      if (step === 0) seq++;
      else {
        ms += step;
        seq = 0;
      }
      const id = `${ms}-${seq}`;
      ids.push(id);
      c.p.cmd('XADD', key, id, ...STREAM_KINDS[kind]!(r));
    }
    const groups = r.int(1, 3);
    for (let g = 0; g < groups; g++) {
      const group = `cg:${r.pick(['billing', 'analytics', 'search', 'mailer', 'fraud'])}:${g}`;
      c.p.cmd('XGROUP', 'CREATE', key, group, '0');
      let cursor = 0;
      const consumers = r.int(2, 4);
      for (let k = 0; k < consumers; k++) {
        const n = r.int(5, 150);
        c.p.cmd('XREADGROUP', 'GROUP', group, `worker-${k}`, 'COUNT', String(n), 'STREAMS', key, '>');
        const delivered = ids.slice(cursor, cursor + n);
        cursor += n;
        const acked = delivered.filter(() => r.chance(0.6));
        if (acked.length > 0) c.p.cmd('XACK', key, group, ...acked);
      }
    }
    await c.p.tick();
  }

  // events:audit has deleted entries (XDEL inside nodes + exact XTRIM)
  const ids: string[] = [];
  const len = 1500;
  for (let e = 0; e < len; e++) {
    const id = `${BASE_MS - DAY + e * 1000}-0`;
    ids.push(id);
    c.p.cmd('XADD', 'events:audit', id, ...STREAM_KINDS.audit!(r));
  }
  c.p.cmdChunked(['XDEL', 'events:audit'], ids.filter((_, i) => i % 7 === 3), 500);
  c.p.cmd('XTRIM', 'events:audit', 'MAXLEN', String(Math.floor(len * 0.7)));
  c.p.cmd('XGROUP', 'CREATE', 'events:audit', 'cg:compliance', '0');
  c.p.cmd('XREADGROUP', 'GROUP', 'cg:compliance', 'auditor-1', 'COUNT', '40', 'STREAMS', 'events:audit', '>');
  c.p.cmd('XGROUP', 'CREATE', 'events:audit', 'cg:idle', '$'); // group with no consumers/pending
  // events:empty: one entry added and deleted -> zero length but a last-id
  c.p.cmd('XADD', 'events:empty', `${BASE_MS}-1`, 'k', 'v');
  c.p.cmd('XDEL', 'events:empty', `${BASE_MS}-1`);
  await c.p.tick();
}

async function oddKeys(c: Ctx): Promise<void> {
  const r = c.rng('odd');
  const bin = c.n(10, 0) + 40;
  for (let i = 0; i < bin; i++) {
    // invalid UTF-8 on purpose: NUL, 0xff, lone continuation bytes
    const key = Buffer.concat([Buffer.from('bin:'), Buffer.from([0x00, 0xff, 0x80 | (i & 0x3f)]), r.bytes(r.int(2, 12)), Buffer.from(`:${i}`)]);
    c.p.cmd('SET', key, r.bytes(r.int(10, 300)));
  }
  const binHash: Buffer[] = [];
  for (let k = 0; k < 20; k++) binHash.push(Buffer.concat([Buffer.from([0xc3, 0x28, k]), r.bytes(4)]), r.bytes(r.int(1, 40)));
  c.p.cmd('HSET', Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xfe, 0x68]), ...binHash);
  const binSet: Buffer[] = [];
  for (let k = 0; k < 30; k++) binSet.push(Buffer.concat([Buffer.from([0xfe, k]), r.bytes(6)]));
  c.p.cmd('SADD', Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xfe, 0x73]), ...binSet);

  const uni = c.n(10, 0) + 40;
  const prefixes = ['user:名前', 'emoji:🚀', 'ключ', 'città', 'κλειδί', 'مفتاح', 'café:crème'];
  for (let i = 0; i < uni; i++) {
    const key = `${prefixes[i % prefixes.length]}:${i}`;
    const value = `${r.pick(['こんにちは世界', 'Привет, мир', '👋🌍✨', 'naïve façade', 'مرحبا بالعالم'])} ${r.words(r.int(1, 6))}`;
    if (i % 5 === 0) c.p.cmd('HSET', key, 'título', value, ' emoji 🎉', String(r.int(0, 1000)));
    else c.p.cmd('SET', key, value);
  }
  await c.p.tick();
}

async function db1(c: Ctx): Promise<void> {
  const r = c.rng('db1');
  await c.p.select(1);
  const jobs = c.n(320);
  const states: Record<string, string[]> = { pending: [], running: [], failed: [] };
  for (let i = 0; i < jobs; i++) {
    const id = r.hex(12);
    const status = r.pick(['pending', 'pending', 'running', 'done', 'done', 'done', 'failed']);
    const created = BASE_MS - r.int(0, 3 * DAY);
    c.p.cmd('HSET', `job:${id}`,
      'status', status,
      'queue', r.pick(QUEUES),
      'attempts', String(r.int(0, 5)),
      'created_at', String(created),
      'updated_at', String(created + r.int(0, HOUR)),
      'worker', `worker-${r.int(1, 32)}`,
      'payload', JSON.stringify({ to: `${r.pick(FIRST)}@${r.pick(DOMAINS)}`, template: r.pick(WORDS), vars: r.words(r.int(2, 40)) }));
    states[status]?.push(`job:${id}`);
    await c.p.tick();
  }
  for (const [state, ids] of Object.entries(states)) c.p.cmdChunked(['RPUSH', `queue:jobs:${state}`], ids);
  const locks = c.n(160);
  for (let i = 0; i < locks; i++) {
    c.p.cmd('SET', `lock:${r.hex(12)}`, `worker-${r.int(1, 32)}:${r.uuid()}`, 'PXAT', String(BASE_MS + r.int(5 * SECOND, 120 * SECOND)));
    await c.p.tick();
  }
}

async function db2(c: Ctx): Promise<void> {
  const r = c.rng('db2');
  await c.p.select(2);
  const n = c.n(40);
  for (let i = 0; i < n; i++) {
    c.p.cmd('SET', `feature:${r.pick(WORDS)}_${r.pick(WORDS)}:${i}`, r.chance(0.5) ? 'on' : 'off');
    c.p.cmd('HSET', `config:${r.pick(WORDS)}-svc:${i}`, 'replicas', String(r.int(1, 12)), 'timeout_ms', String(r.int(100, 30_000)), 'endpoint', `https://${r.pick(WORDS)}.${r.pick(DOMAINS)}/v${r.int(1, 3)}`);
    const delayed: string[] = [];
    for (let k = r.int(1, 40); k > 0; k--) delayed.push(String(BASE_MS + r.int(0, DAY)), `job:${r.hex(12)}`);
    c.p.cmd('ZADD', `delayed:${r.pick(QUEUES)}:${i}`, ...delayed);
    const online: string[] = [];
    for (let k = r.int(1, 80); k > 0; k--) online.push(String(r.int(100_000, 200_000)));
    c.p.cmd('SADD', `online:${r.pick(REGIONS)}:${i}`, ...online);
    await c.p.tick();
  }
}

// ---------------------------------------------------------------------------

function usage(msg?: string): never {
  if (msg) console.error(`error: ${msg}`);
  console.error('usage: node --import tsx samples/generate.ts --scale <n> --out <path.rdb> [--seed 42]');
  process.exit(2);
}

function fmtBytes(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB, ${(n / 1024 / 1024).toFixed(1)} MiB`;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { scale: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string', default: '42' } },
      strict: true,
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  const scale = Number(values.scale);
  const seed = Number(values.seed);
  if (!values.scale || !Number.isFinite(scale) || scale <= 0) usage('--scale must be a positive number');
  if (!values.out) usage('--out is required');
  if (!Number.isInteger(seed)) usage('--seed must be an integer');
  const out = path.resolve(values.out);

  const t0 = Date.now();
  const redis = await startRedis({ args: ['--dbfilename', 'generate.rdb', '--enable-debug-command', 'local'] });
  try {
    const p = new Pipeline(redis);
    const c: Ctx = {
      p,
      scale,
      rng: (section) => new Rng(hashString(`${seed}:${section}`)),
      n: (base, min = 1) => Math.max(min, Math.round(base * scale)),
    };
    const sections: Array<[string, (c: Ctx) => Promise<void>]> = [
      ['users', users], ['sessions', sessions], ['cache pages', cachePages], ['counters', counters],
      ['queues', queues], ['tags', tags], ['leaderboards', leaderboards], ['streams', streams],
      ['binary/unicode keys', oddKeys], ['db 1', db1], ['db 2', db2],
    ];
    for (const [name, fn] of sections) {
      const ts = Date.now();
      await fn(c);
      console.error(`  ${name.padEnd(20)} ${((Date.now() - ts) / 1000).toFixed(1)} s`);
    }
    await p.finish();
    const loaded = Date.now();

    const keyspace = (await redis.cli('INFO', 'keyspace')).split('\n').filter((l) => l.startsWith('db'));
    const mem = /used_memory_human:(\S+)/.exec(await redis.cli('INFO', 'memory'))?.[1];
    const dump = await redis.save();
    await mkdir(path.dirname(out), { recursive: true });
    const tmp = `${out}.tmp-${process.pid}`;
    await copyFile(dump, tmp);
    await rename(tmp, out);
    const size = (await stat(out)).size;

    console.log(`scale ${scale}, seed ${seed}: ${p.commands} commands, used_memory ${mem}`);
    for (const line of keyspace) console.log(`  ${line.trim()}`);
    console.log(`load ${((loaded - t0) / 1000).toFixed(1)} s, save ${((Date.now() - loaded) / 1000).toFixed(1)} s`);
    console.log(`wrote ${out}: ${size} bytes (${fmtBytes(size)})`);
  } finally {
    await redis.stop();
  }
}

await main();
