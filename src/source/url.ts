/**
 * Live sources named by URL: `redis://[user[:password]@]host[:port][/db]` or `rediss://…` (TLS),
 * in place of a dump path. Everything a source needs to be read travels in its string, so that
 * it crosses to a worker thread or a child command like a path does: the CLI's connection
 * options become query parameters (`?tls-ca=/ca.pem&batch=100`, see LIVE_PARAMS).
 */
import { LiveSourceError } from './errors.js';

/** The query parameters a source URL may carry (set by the CLI flags of the same name). */
export const LIVE_PARAMS = ['tls-ca', 'tls-cert', 'tls-key', 'tls-insecure', 'batch', 'rate', 'verify'] as const;
export type LiveParam = (typeof LIVE_PARAMS)[number];

export interface LiveTarget {
  /** the URL as given (with its password) */
  url: string;
  tls: boolean;
  host: string;
  port: number;
  username: string | undefined;
  password: string | undefined;
  /** only this database; undefined: every database in the keyspace */
  db: number | undefined;
  tlsCa: string | undefined;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  tlsInsecure: boolean;
  /** keys per SCAN COUNT and per pipeline of DUMPs */
  batch: number;
  /** keys per second at most (0: no limit) */
  rate: number;
  /** keys whose MEMORY USAGE the server is asked for at the end (0: none) */
  verify: number;
}

/**
 * Keys per SCAN and per pipeline by default. A pipeline of PEXPIRETIME (PTTL) for 100 keys, and
 * then one of DUMP for them, is read by redis-server in one go (under its 16 KB read buffer) and
 * run in one event-loop turn: a PING from another client waits at most for that turn (about
 * 0.3 ms of server time for small keys). test/source/gentle.test.ts measures the added p99
 * latency of such probes against the 1 ms budget.
 */
export const DEFAULT_BATCH = 100;
/** A SCAN COUNT / pipeline length past this is refused (it would hold the server too long). */
export const MAX_BATCH = 10_000;

export function isLiveUrl(text: string): boolean {
  return /^rediss?:\/\//i.test(text);
}

function intParam(url: string, name: string, value: string | null, fallback: number, max: number): number {
  if (value === null) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max) {
    throw new LiveSourceError('bad_url', `${redactUrl(url)}: ${name} must be a whole number from 0 to ${max}, not "${value}"`);
  }
  return Number(value);
}

/** Parse a source URL; throws LiveSourceError('bad_url') with the reason. */
export function parseLiveUrl(text: string): LiveTarget {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new LiveSourceError('bad_url', `${redactUrl(text)}: not a valid redis:// URL`);
  }
  const tls = u.protocol.toLowerCase() === 'rediss:';
  if (!tls && u.protocol.toLowerCase() !== 'redis:') throw new LiveSourceError('bad_url', `${redactUrl(text)}: expected redis:// or rediss://`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new LiveSourceError('bad_url', `${redactUrl(text)}: no host`);
  const port = u.port === '' ? 6379 : Number(u.port);
  const path = u.pathname.replace(/^\/+/, '');
  let db: number | undefined;
  if (path !== '') {
    if (!/^\d{1,5}$/.test(path)) throw new LiveSourceError('bad_url', `${redactUrl(text)}: the path must be a database number, not "/${path}"`);
    db = Number(path);
  }
  const q = u.searchParams;
  for (const k of q.keys()) {
    if (!(LIVE_PARAMS as readonly string[]).includes(k)) throw new LiveSourceError('bad_url', `${redactUrl(text)}: unknown parameter "${k}" (known: ${LIVE_PARAMS.join(', ')})`);
  }
  const dec = (s: string): string | undefined => (s === '' ? undefined : decodeURIComponent(s));
  const batch = intParam(text, 'batch', q.get('batch'), DEFAULT_BATCH, MAX_BATCH);
  if (batch < 1) throw new LiveSourceError('bad_url', `${redactUrl(text)}: batch must be at least 1`);
  return {
    url: text,
    tls,
    host,
    port,
    username: dec(u.username),
    password: dec(u.password),
    db,
    tlsCa: q.get('tls-ca') ?? undefined,
    tlsCert: q.get('tls-cert') ?? undefined,
    tlsKey: q.get('tls-key') ?? undefined,
    tlsInsecure: q.get('tls-insecure') === '1' || q.get('tls-insecure') === 'true',
    batch,
    rate: intParam(text, 'rate', q.get('rate'), 0, 1e9),
    verify: intParam(text, 'verify', q.get('verify'), 0, 1e6),
  };
}

/** The URL as shown in reports and messages: no password, no parameters. */
export function redactUrl(text: string): string {
  const m = /^(rediss?:\/\/)(?:([^:@/]*)(?::[^@/]*)?@)?([^/?#]*)(\/[^?#]*)?/i.exec(text);
  if (!m) return text;
  const user = m[2] ? `${m[2]}@` : '';
  const path = m[4] && m[4] !== '/' ? m[4] : '';
  return `${m[1]!.toLowerCase()}${user}${m[3]}${path}`;
}

/** `url` with these parameters set (those already in it are kept: the URL's own word wins). */
export function withParams(url: string, params: Partial<Record<LiveParam, string | number | boolean | undefined>>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === false || u.searchParams.has(k)) continue;
    u.searchParams.set(k, v === true ? '1' : String(v));
  }
  return u.toString();
}

/** A URL for another node of the same deployment (a cluster primary): same credentials and parameters. */
export function urlForNode(url: string, host: string, port: number): string {
  const u = new URL(url);
  u.hostname = host.includes(':') ? `[${host}]` : host;
  u.port = String(port);
  u.pathname = '';
  return u.toString();
}
