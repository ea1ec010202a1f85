/**
 * A running server read as a dump, for servers that refuse PSYNC (managed services): SCAN every
 * database of the keyspace and, per batch of keys, one pipeline of PEXPIRETIME (or PTTL), plus
 * OBJECT IDLETIME or OBJECT FREQ when the eviction policy keeps them, then one of DUMP on the
 * DUMP replies' own connection (dump-conn.ts: a payload over STREAM_MIN streams, no value is
 * held whole), as an RDB byte stream built on the fly:
 *
 *   header (the DUMP payloads' RDB version), AUX redis-ver/redis-bits/ctime/used-mem/aof-base
 *   from INFO, per database SELECTDB + RESIZEDB (INFO keyspace's keys and expires), per key the
 *   expiry opcode, the IDLE or FREQ opcode, the payload's type byte, the key, the payload's
 *   body; EOF and the CRC-64 of it all.
 *
 * A DUMP payload is `<type byte><value as rdbSaveObject writes it><RDB version, 2 bytes LE><CRC-64
 * of what precedes, 8 bytes LE>` (createDumpPayload, cluster.c 7.0): its value is the RDB
 * encoding of the value, so the stream parses and sizes exactly as a SAVEd dump of the same data.
 * Each payload's version and CRC are checked (verifyDumpPayload); a version the parser cannot
 * read is refused.
 *
 * Keys that vanish between SCAN and DUMP (deleted, expired) are counted in `vanished`, not
 * errors. SCAN may return a key twice (the table resized during the scan): a key is emitted
 * once per database (the names seen are kept for the database being read).
 *
 * Gentle on the server: one pipeline in flight, `batch` keys per SCAN COUNT and per pipeline,
 * and at most `rate` keys per second when set.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { crc64 } from '../rdb/crc64.js';
import { RDB_VERSION_MAX_REDIS, RDB_VERSION_VALKEY_9 } from '../rdb/constants.js';
import { printableKey } from '../rdb/errors.js';
import type { ServerConfig } from '../memory/profiles.js';
import { DEFAULT_CONFIG } from '../memory/profiles.js';
import { connectLive, liveError } from './connect.js';
import { DUMP_FOOTER, DumpConnection, STREAM_MIN } from './dump-conn.js';
import { LiveSourceError } from './errors.js';
import { RdbWriter } from './rdb-writer.js';
import { parseLiveUrl, redactUrl, type LiveTarget } from './url.js';

export interface LiveDb {
  db: number;
  keys: number;
  expires: number;
}

/** What INFO (and CONFIG GET where allowed) says about the server, read when the source opens. */
export interface LiveFacts {
  redisVersion: string;
  valkeyVersion: string | undefined;
  bits: number;
  usedMemory: number;
  maxmemoryPolicy: string;
  clusterEnabled: boolean;
  /** the databases to read, with INFO keyspace's counts */
  dbs: LiveDb[];
  /** keys in those databases (the progress bar's total) */
  totalKeys: number;
  /** encoding thresholds read by CONFIG GET (those refused or unknown are left out) */
  config: Partial<ServerConfig>;
  /** whether CONFIG GET was refused (the caller's --config then stands alone) */
  configRefused: boolean;
  /** how expiry times are read: PEXPIRETIME (exact), or PTTL (relative, anchored on our clock) */
  expiry: 'pexpiretime' | 'pttl';
}

/** The figures of INFO, as name -> value (every section). */
export function parseInfo(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

/** INFO keyspace's `db3:keys=10,expires=2,avg_ttl=0`. */
export function keyspaceDbs(info: Map<string, string>): LiveDb[] {
  const out: LiveDb[] = [];
  for (const [k, v] of info) {
    const m = /^db(\d+)$/.exec(k);
    if (!m) continue;
    const f = Object.fromEntries(v.split(',').map((p) => p.split('=') as [string, string]));
    out.push({ db: Number(m[1]), keys: Number(f.keys ?? 0), expires: Number(f.expires ?? 0) });
  }
  return out.sort((a, b) => a.db - b.db);
}

/** The RDB version a server writes, for the header when no key gives its payload's. */
function rdbVersionFor(redisVersion: string, valkeyVersion: string | undefined): number {
  if (valkeyVersion !== undefined && Number(valkeyVersion.split('.')[0]) >= 9) return RDB_VERSION_VALKEY_9;
  if (valkeyVersion !== undefined) return 11;
  const [maj = 0, min = 0] = redisVersion.split('.').map(Number);
  if (maj > 7 || (maj === 7 && min >= 4)) return 12;
  if (maj === 7 && min >= 2) return 11;
  if (maj === 7) return 10;
  if (maj >= 5) return 9;
  return 8;
}

/** the writer's chunks are handed on once it holds this much (a batch or a big value never collects whole) */
const FLUSH_MIN = 256 * 1024;

/** CONFIG GET names for the encoding thresholds: the name, then its pre-7.0 alias. */
const CONFIG_NAMES: Record<keyof ServerConfig, string[]> = {
  'hash-max-listpack-entries': ['hash-max-listpack-entries', 'hash-max-ziplist-entries'],
  'hash-max-listpack-value': ['hash-max-listpack-value', 'hash-max-ziplist-value'],
  'set-max-intset-entries': ['set-max-intset-entries'],
  'set-max-listpack-entries': ['set-max-listpack-entries'],
  'set-max-listpack-value': ['set-max-listpack-value'],
  'zset-max-listpack-entries': ['zset-max-listpack-entries', 'zset-max-ziplist-entries'],
  'zset-max-listpack-value': ['zset-max-listpack-value', 'zset-max-ziplist-value'],
  'list-max-listpack-size': ['list-max-listpack-size', 'list-max-ziplist-size'],
  'list-compress-depth': ['list-compress-depth'],
  'stream-node-max-bytes': ['stream-node-max-bytes'],
  'stream-node-max-entries': ['stream-node-max-entries'],
  'cluster-enabled': ['cluster-enabled'],
};

export interface VerifyResult {
  /** keys asked about (those gone meanwhile are left out) */
  keys: number;
  equal: number;
  /** within 1% */
  close: number;
  maxDiff: number;
  maxDiffKey: Buffer | null;
  /** MEMORY USAGE refused: why */
  refused: string | null;
}

export interface SampledKey {
  db: number;
  key: Buffer;
  bytes: number;
}

export class LiveSource {
  /** keys SCAN returned and the source has handled (the progress bar's count) */
  scanned = 0;
  /** keys SCAN returned that were gone by their DUMP */
  vanished = 0;
  /** keys emitted into the stream */
  emitted = 0;
  /** RDB bytes produced */
  get bytes(): number {
    return this.size;
  }
  private size = 0;
  private closed = false;

  private constructor(
    readonly target: LiveTarget,
    readonly facts: LiveFacts,
    private readonly redis: Redis,
    private readonly lastError: () => Error | null,
    private currentDb: number,
  ) {}

  /** the DUMP replies' own connection (big values stream: dump-conn.ts), opened by rdb() */
  private dumpConn: DumpConnection | null = null;

  private get dumps(): DumpConnection {
    return this.dumpConn!;
  }

  /** The source's name in reports and messages (no password). */
  get name(): string {
    return redactUrl(this.target.url);
  }

  /** Connect, AUTH, read INFO (and CONFIG GET where allowed). */
  static async open(url: string): Promise<LiveSource> {
    const t = parseLiveUrl(url);
    const { redis, lastError } = await connectLive(t);
    try {
      const facts = await readFacts(t, redis);
      let db = 0;
      if (t.db !== undefined && t.db !== 0) {
        try {
          await redis.select(t.db);
          db = t.db;
        } catch (err) {
          throw liveError(t, err, `SELECT ${t.db}`);
        }
      }
      return new LiveSource(t, facts, redis, lastError, db);
    } catch (err) {
      redis.disconnect();
      throw err;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.redis.disconnect();
    this.dumpConn?.close();
  }

  private fail(err: unknown, doing: string): LiveSourceError {
    return liveError(this.target, this.lastError() ?? err, doing);
  }

  private async select(db: number): Promise<void> {
    if (db === this.currentDb) return;
    try {
      await this.redis.select(db);
    } catch (err) {
      throw this.fail(err, `SELECT ${db} (to read database ${db})`);
    }
    await this.dumpConn?.select(db);
    this.currentDb = db;
  }

  /**
   * The keyspace as an RDB byte stream (see the module comment). `onBatch` is called after each
   * pipeline (progress).
   */
  async *rdb(onBatch?: () => void): AsyncGenerator<Buffer> {
    this.dumpConn ??= await DumpConnection.open(this.target, this.currentDb);
    const w = new RdbWriter();
    const f = this.facts;
    const t = this.target;
    let headerDone = false;
    const header = (version: number): void => {
      headerDone = true;
      if (version === RDB_VERSION_VALKEY_9) w.header('VALKEY', version);
      else w.header('REDIS', version);
      w.aux('redis-ver', f.redisVersion);
      if (f.valkeyVersion !== undefined) w.aux('valkey-ver', f.valkeyVersion);
      w.aux('redis-bits', String(f.bits));
      w.aux('ctime', String(Math.floor(Date.now() / 1000)));
      w.aux('used-mem', String(f.usedMemory));
      w.aux('aof-base', '0');
    };
    const lru = /lru$/.test(f.maxmemoryPolicy);
    const lfu = /lfu$/.test(f.maxmemoryPolicy);
    const perKey = 1 + (lru || lfu ? 1 : 0);
    const started = Date.now();
    for (const d of f.dbs) {
      await this.select(d.db);
      let dbDone = false;
      const seen = new Set<string>();
      let cursor = '0';
      do {
        let reply: [Buffer, Buffer[]];
        try {
          reply = (await this.redis.scanBuffer(cursor, 'COUNT', t.batch)) as [Buffer, Buffer[]];
        } catch (err) {
          throw this.fail(err, 'SCAN');
        }
        cursor = reply[0].toString('latin1');
        const keys: Buffer[] = [];
        for (const k of reply[1]) {
          const s = k.toString('latin1');
          if (seen.has(s)) continue;
          seen.add(s);
          keys.push(k);
        }
        if (keys.length === 0) continue;
        // OBJECT and the expiry on the client library's connection, then the DUMPs on their own
        // (dump-conn.ts): OBJECT first, it does not touch the key, DUMP does (its LRU clock,
        // its LFU counter); the expiry before the value, which may stream
        const p = this.redis.pipeline();
        // PTTL is relative to when the server ran it: INFO server's server_time_usec before and
        // after the batch brackets that moment (INFO is one of the commands the source needs)
        const pttl = f.expiry === 'pttl';
        const base = pttl ? 1 : 0;
        if (pttl) p.info('server');
        for (const k of keys) {
          if (lru) p.object('IDLETIME', k);
          else if (lfu) p.object('FREQ', k);
          if (f.expiry === 'pexpiretime') p.pexpiretime(k);
          else p.pttl(k);
        }
        if (pttl) p.info('server');
        const sent = Date.now();
        let res: Array<[Error | null, unknown]>;
        try {
          res = ((await p.exec()) ?? []) as Array<[Error | null, unknown]>;
        } catch (err) {
          throw this.fail(err, 'PTTL pipeline');
        }
        let anchor = Math.round((sent + Date.now()) / 2);
        if (pttl) {
          const before = serverTimeMs(res[0]!);
          const after = serverTimeMs(res[base + keys.length * perKey]!);
          if (before !== null && after !== null) anchor = Math.floor((before + after) / 2);
        }
        let todo: Buffer[] = keys;
        let at: number[] = [];
        for (let i = 0; i < keys.length; i++) at.push(i);
        while (todo.length > 0) {
          const again: Buffer[] = [];
          const againAt: number[] = [];
          this.dumps.dump(todo);
          for (let j = 0; j < todo.length; j++) {
            const key = todo[j]!;
            const i = at[j]!;
            const len = await this.dumps.next(key);
            const [tErr, ttl] = res[base + i * perKey + (lru || lfu ? 1 : 0)]!;
            if (tErr) throw this.fail(tErr, f.expiry === 'pexpiretime' ? 'PEXPIRETIME' : 'PTTL');
            const tt = Number(ttl);
            if (len < 0 || tt === -2) {
              if (len >= 0) await this.dumps.skip(len);
              this.scanned++;
              this.vanished++;
              continue;
            }
            let payload: Buffer | null = null;
            if (len <= STREAM_MIN) {
              payload = await this.dumps.whole(len);
              const version = checkPayload(this.name, key, payload);
              if (!headerDone) header(version);
            } else if (!headerDone) {
              // the header needs the payloads' RDB version, which a payload ends with: read this
              // one for its footer only, and DUMP the key again after the batch's other replies
              let version = 0;
              for await (const part of this.dumps.stream(len, (footer, crc) => (version = checkFooter(this.name, key, footer, crc)))) void part;
              header(version);
              again.push(key);
              againAt.push(i);
              continue;
            }
            this.scanned++;
            if (!dbDone) {
              w.selectDb(d.db, d.keys, d.expires);
              dbDone = true;
            }
            if (tt >= 0) w.expireMs(f.expiry === 'pexpiretime' ? tt : anchor + tt);
            if (lru || lfu) {
              const [oErr, o] = res[base + i * perKey]!;
              // a key gone between OBJECT and DUMP: its figure is unknown, leave the opcode out
              if (!oErr && o !== null) {
                if (lru) w.idle(Number(o));
                else w.freq(Number(o));
              }
            }
            if (payload !== null) {
              w.byte(payload[0]!);
              w.string(key);
              w.bytes(payload.subarray(1, payload.length - DUMP_FOOTER));
            } else {
              // a big value: passed on as it arrives, never held whole
              let first = true;
              for await (let part of this.dumps.stream(len, (footer, crc) => checkFooter(this.name, key, footer, crc))) {
                if (first) {
                  w.byte(part[0]!);
                  w.string(key);
                  part = part.subarray(1);
                  first = false;
                }
                if (part.length > 0) w.chunk(part);
                for (const c of this.taken(w, FLUSH_MIN)) yield c;
              }
            }
            this.emitted++;
            for (const c of this.taken(w, FLUSH_MIN)) yield c;
          }
          todo = again;
          at = againAt;
        }
        onBatch?.();
        for (const c of this.taken(w, 0)) yield c;
        if (t.rate > 0) {
          const due = started + (this.scanned / t.rate) * 1000;
          const wait = due - Date.now();
          if (wait > 0) await sleep(wait);
        }
      } while (cursor !== '0');
    }
    if (!headerDone) header(rdbVersionFor(f.redisVersion, f.valkeyVersion));
    w.eof();
    onBatch?.();
    for (const c of this.taken(w, 0)) yield c;
  }

  /** The writer's chunks once it holds at least `min` bytes (counted in `bytes`). */
  private taken(w: RdbWriter, min: number): Buffer[] {
    const out = w.take(min);
    for (const c of out) this.size += c.length;
    return out;
  }

  /**
   * Ask the server's own MEMORY USAGE key SAMPLES 0 for these keys (the exact figure: every
   * element counted) and compare.
   */
  async verify(samples: readonly SampledKey[]): Promise<VerifyResult> {
    const r: VerifyResult = { keys: 0, equal: 0, close: 0, maxDiff: 0, maxDiffKey: null, refused: null };
    const byDb = new Map<number, SampledKey[]>();
    for (const s of samples) {
      const l = byDb.get(s.db) ?? [];
      l.push(s);
      byDb.set(s.db, l);
    }
    for (const [db, list] of byDb) {
      await this.select(db);
      const p = this.redis.pipeline();
      for (const s of list) p.memory('USAGE', s.key, 'SAMPLES', 0);
      const res = ((await p.exec()) ?? []) as Array<[Error | null, unknown]>;
      for (let i = 0; i < list.length; i++) {
        const [err, v] = res[i]!;
        if (err) {
          r.refused = err.message;
          return r;
        }
        if (v === null) continue;
        const s = list[i]!;
        const theirs = Number(v);
        const diff = Math.abs(theirs - s.bytes);
        r.keys++;
        if (diff === 0) r.equal++;
        if (diff <= theirs * 0.01) r.close++;
        if (diff > r.maxDiff || r.maxDiffKey === null) {
          if (diff >= r.maxDiff) {
            r.maxDiff = diff;
            r.maxDiffKey = s.key;
          }
        }
      }
    }
    return r;
  }
}

/** server_time_usec of an INFO server reply, in ms (null when refused or absent). */
function serverTimeMs([err, text]: [Error | null, unknown]): number | null {
  if (err || typeof text !== 'string') return null;
  const m = /server_time_usec:(\d+)/.exec(text);
  return m ? Number(m[1]) / 1000 : null;
}

/** One line on the agreement with the server's MEMORY USAGE. */
export function verifyLine(name: string, v: VerifyResult): string {
  if (v.refused !== null) return `verify ${name}: MEMORY USAGE refused (${v.refused}): nothing compared`;
  const worst = v.maxDiffKey && v.maxDiff > 0 ? `, largest difference ${v.maxDiff} bytes (key "${printableKey(v.maxDiffKey, 60)}")` : '';
  return `verify ${name}: ${v.keys} keys sampled, MEMORY USAGE SAMPLES 0 equal for ${v.equal}, within 1% for ${v.close}${worst}`;
}

/**
 * Check a DUMP payload (mirrors verifyDumpPayload, cluster.c 7.0): at least a type byte, the
 * RDB version and the CRC-64 of everything before it. Returns the RDB version.
 */
export function checkPayload(source: string, key: Buffer, p: Buffer): number {
  if (p.length < 1 + DUMP_FOOTER) throw new LiveSourceError('payload', `${source}: DUMP of key "${printableKey(key)}": a ${p.length}-byte payload is too short`);
  const stored = p.readBigUInt64LE(p.length - 8);
  return checkFooter(source, key, p.subarray(p.length - DUMP_FOOTER), stored === 0n ? null : crc64(p.subarray(0, p.length - 8)));
}

/**
 * A DUMP payload's footer (its last 10 bytes: RDB version, CRC-64) against `crc`, the CRC-64 of
 * the payload up to the footer's CRC field (null: not computed). Returns the RDB version.
 */
export function checkFooter(source: string, key: Buffer, footer: Buffer, crc: bigint | null): number {
  const version = footer.readUInt16LE(0);
  const stored = footer.readBigUInt64LE(2);
  // a server started with rdbchecksum no still writes the CRC in DUMP payloads; 0 is "none"
  if (stored !== 0n && crc !== null && crc !== stored) {
    throw new LiveSourceError('payload', `${source}: DUMP of key "${printableKey(key)}": CRC-64 mismatch in the payload`);
  }
  if (!(version <= RDB_VERSION_MAX_REDIS || version === RDB_VERSION_VALKEY_9)) {
    throw new LiveSourceError('payload', `${source}: DUMP payload RDB version ${version} (key "${printableKey(key)}"): this parser reads RDB versions up to ${RDB_VERSION_MAX_REDIS} and Valkey's ${RDB_VERSION_VALKEY_9}`);
  }
  return version;
}

async function readFacts(t: LiveTarget, redis: Redis): Promise<LiveFacts> {
  let info: Map<string, string>;
  try {
    // every section: server, memory, cluster and keyspace are read
    info = parseInfo(await redis.info('everything'));
  } catch (err) {
    // older servers know no "everything"
    try {
      info = parseInfo(await redis.info());
    } catch {
      throw liveError(t, err, 'INFO');
    }
  }
  const redisVersion = info.get('redis_version') ?? '';
  const valkeyVersion = info.get('valkey_version') ?? (info.get('server_name') === 'valkey' ? redisVersion : undefined);
  let dbs = keyspaceDbs(info);
  if (t.db !== undefined) dbs = [dbs.find((d) => d.db === t.db) ?? { db: t.db, keys: 0, expires: 0 }];
  const clusterEnabled = info.get('cluster_enabled') === '1';

  // CONFIG GET, one name per command (6.x takes one pattern); refused: the caller's --config
  const config: Partial<ServerConfig> = {};
  let configRefused = false;
  const names = Object.entries(CONFIG_NAMES) as Array<[keyof ServerConfig, string[]]>;
  const p = redis.pipeline();
  for (const [, aliases] of names) for (const a of aliases) p.config('GET', a);
  const res = ((await p.exec().catch((err: unknown) => {
    throw liveError(t, err, 'CONFIG GET');
  })) ?? []) as Array<[Error | null, unknown]>;
  let i = 0;
  for (const [name, aliases] of names) {
    for (let k = 0; k < aliases.length; k++) {
      const [err, v] = res[i++]!;
      if (err) {
        configRefused = true;
        continue;
      }
      const arr = v as string[];
      if (!Array.isArray(arr) || arr.length < 2 || name in config) continue;
      const value = String(arr[1]);
      if (typeof DEFAULT_CONFIG[name] === 'boolean') (config as Record<string, unknown>)[name] = value === 'yes';
      else if (/^-?\d+$/.test(value)) (config as Record<string, unknown>)[name] = Number(value);
    }
  }
  if (clusterEnabled) config['cluster-enabled'] = true;

  let expiry: LiveFacts['expiry'] = 'pttl';
  if (Number(redisVersion.split('.')[0]) >= 7) {
    try {
      await redis.pexpiretime('rdblens:probe:pexpiretime');
      expiry = 'pexpiretime';
    } catch (err) {
      // a cluster node redirects the probe's key elsewhere: the command itself is allowed;
      // refused (NOPERM) or unknown: PTTL, anchored on the server's clock (INFO server)
      expiry = /^(MOVED|ASK|CROSSSLOT|TRYAGAIN|CLUSTERDOWN)\b/.test((err as Error).message) ? 'pexpiretime' : 'pttl';
    }
  }
  return {
    redisVersion,
    valkeyVersion,
    bits: Number(info.get('arch_bits') ?? 64),
    usedMemory: Number(info.get('used_memory') ?? 0),
    maxmemoryPolicy: info.get('maxmemory_policy') ?? 'noeviction',
    clusterEnabled,
    dbs,
    totalKeys: dbs.reduce((s, d) => s + d.keys, 0),
    config,
    configRefused,
    expiry,
  };
}
