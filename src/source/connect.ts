/**
 * Connections to a live source with ioredis (TLS, AUTH with an ACL user, Redis Cluster
 * topology), set up to send nothing but what the source itself asks: RESP2 (no HELLO), no
 * CLIENT SETINFO, no ready check, no SELECT unless a database other than 0 is read. The ACL
 * user `+scan +dump +pttl +type +info +object` is thus enough (test/source/live.test.ts).
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { Redis, RedisOptions } from 'ioredis';

/** ioredis (~25 MB of RSS when loaded), for live sources only. */
const ioredis = () => import('ioredis');
import { LiveSourceError } from './errors.js';
import { redactUrl, urlForNode, type LiveTarget } from './url.js';

function readPem(target: LiveTarget, flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new LiveSourceError('bad_url', `${redactUrl(target.url)}: ${flag} ${path}: ${(err as Error).message.replace(/^E[A-Z]+: /, '')}`);
  }
}

/** The TLS options of a `rediss://` source (its CA, client certificate, --tls-insecure); undefined for `redis://`. */
export function tlsOptions(t: LiveTarget): ConnectionOptions | undefined {
  if (!t.tls) return undefined;
  const o: ConnectionOptions = { servername: /^[\d.]+$|:/.test(t.host) ? undefined : t.host };
  if (t.tlsCa) o.ca = readPem(t, '--tls-ca', t.tlsCa);
  if (t.tlsCert) o.cert = readPem(t, '--tls-cert', t.tlsCert);
  if (t.tlsKey) o.key = readPem(t, '--tls-key', t.tlsKey);
  if (t.tlsInsecure) o.rejectUnauthorized = false;
  return o;
}

export function redisOptions(t: LiveTarget): RedisOptions {
  const tls = tlsOptions(t);
  return {
    host: t.host,
    port: t.port,
    ...(t.username !== undefined ? { username: t.username } : {}),
    ...(t.password !== undefined ? { password: t.password } : {}),
    ...(tls ? { tls } : {}),
    protocol: 2,
    disableClientInfo: true,
    enableReadyCheck: false,
    lazyConnect: true,
    // a source that goes away fails the read (no silent reconnect in the middle of a SCAN)
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: 10_000,
  };
}

/** What a failed command or connection means, as a LiveSourceError naming the source. */
export function liveError(t: LiveTarget, err: unknown, doing: string): LiveSourceError {
  if (err instanceof LiveSourceError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  const name = redactUrl(t.url);
  if (/^(WRONGPASS|NOAUTH|ERR invalid password|ERR AUTH)/.test(msg)) return new LiveSourceError('auth', `${name}: authentication failed: ${msg}`);
  if (/^NOPERM/.test(msg)) return new LiveSourceError('noperm', `${name}: ${doing}: the user may not run it (${msg})`);
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return new LiveSourceError('connect', `${name}: ${doing}: ${msg}`);
  if (/Connection is closed|connect ETIMEDOUT|Stream isn't writeable|socket/i.test(msg)) return new LiveSourceError('connect', `${name}: ${doing}: ${msg}`);
  return new LiveSourceError('server', `${name}: ${doing}: ${msg}`);
}

/** Connect (and AUTH); the client's later 'error' events are kept in `lastError`, not thrown. */
export async function connectLive(t: LiveTarget): Promise<{ redis: Redis; lastError: () => Error | null }> {
  const { Redis } = await ioredis();
  const redis = new Redis(redisOptions(t));
  let last: Error | null = null;
  redis.on('error', (err: Error) => {
    last = err;
  });
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw liveError(t, last ?? err, 'connecting');
  }
  return { redis, lastError: () => last };
}

/**
 * Every primary of the Redis Cluster `t` belongs to, as source URLs (same credentials and
 * parameters), in slot order of their first slot. ioredis reads the topology (CLUSTER SLOTS).
 */
export async function clusterPrimaries(t: LiveTarget): Promise<string[]> {
  const { host, port, ...node } = redisOptions(t);
  const { Cluster } = await ioredis();
  const cluster = new Cluster([{ host: host!, port: port! }], {
    redisOptions: node,
    lazyConnect: true,
    enableReadyCheck: true,
    clusterRetryStrategy: () => null,
    slotsRefreshTimeout: 10_000,
  });
  let last: Error | null = null;
  cluster.on('error', (err: Error) => {
    last = err;
  });
  try {
    await cluster.connect();
    const slots = await cluster.cluster('SLOTS');
    const first = new Map<string, number>();
    for (const [start, , master] of slots) {
      if (!master) continue;
      const h = String(master[0]) === '' ? host! : String(master[0]);
      const k = `${h}\u0000${Number(master[1])}`;
      if (!first.has(k) || first.get(k)! > start) first.set(k, start);
    }
    if (first.size === 0) throw new LiveSourceError('cluster', `${redactUrl(t.url)}: the cluster has no slots assigned`);
    return [...first.entries()].sort((a, b) => a[1] - b[1]).map(([k]) => {
      const [h, p] = k.split('\u0000') as [string, string];
      return urlForNode(t.url, h, Number(p));
    });
  } catch (err) {
    const e = last ?? err;
    if (e instanceof LiveSourceError) throw e;
    if (/cluster support disabled/i.test((e as Error).message ?? '')) {
      throw new LiveSourceError('cluster', `${redactUrl(t.url)}: --cluster: this server is not in cluster mode`);
    }
    throw new LiveSourceError('cluster', `${redactUrl(t.url)}: --cluster: ${(e as Error).message ?? String(e)}`);
  } finally {
    cluster.disconnect();
  }
}
