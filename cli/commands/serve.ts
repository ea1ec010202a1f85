/**
 * `rdblens serve [dump...]`: a RESP server over the dumps (and live writes) for redis-cli and
 * Redis clients, with MEMORY USAGE / STATS / DOCTOR and INFO memory from the model. See
 * docs/server.md.
 */
import { isEvictionConfigName, parseEvictionSetting, type EvictionConfig } from '../../src/memory/evict.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadSources, LiveRefresher } from '../../src/source/load.js';
import { isLiveUrl } from '../../src/source/url.js';
import type { MetricsExporter } from '../../src/metrics/exporter.js';
import { MAX_PREFIXES } from '../../src/metrics/snapshot.js';
import { addLiveOptions } from '../live.js';
import { parseConfigOverrides } from '../../src/memory/usage.js';
import { profile as makeProfile, type ProfileId } from '../../src/memory/profiles.js';
import { profileForRedisVersion } from '../../src/memory/profiles.js';
import type { RespServer } from '../../src/resp/server.js';
import type { Follower } from '../../src/replica/follower.js';
import { CliError } from '../errors.js';
import { LoadWatch, whileLoading } from '../interrupt.js';
import { stat } from 'node:fs/promises';
import { parseHostPort, parseTarget } from '../options.js';
import type { CommandIo } from '../common.js';
import { readDumpHeader } from '../analysis.js';
import { splitReader } from '../split-load.js';
import type { LoadOptions } from '../../src/engine/load.js';
import { integrityWarnings } from '../../src/rdb/index.js';

export interface ServeOptions {
  port: number;
  bind: string;
  requirepass?: string;
  /** protected-mode (default yes) */
  protectedMode?: 'yes' | 'no';
  readOnly: boolean;
  tracking: boolean;
  target?: ProfileId;
  config: string[];
  cacheMb: number;
  replicaof?: { host: string; port: number };
  masterauth?: string;
  masteruser?: string;
  /** re-read the redis:// sources every this many ms */
  refresh?: number;
  metrics?: { host: string; port: number };
  metricsPrefixes: number;
  metricsDepth: number;
  separators: string;
  /** serve a dump that could not be read to its end (truncated or damaged): the keys before the problem */
  allowTruncated?: boolean;
}

/** `--refresh 30s`: ms, s, m, h (a bare number is seconds). */
export function parseInterval(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError('expected an interval: 500ms, 30s, 5m, 1h (a bare number is seconds)');
  const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  if (ms < 100) throw new InvalidArgumentError('an interval of at least 100ms');
  return Math.round(ms);
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new InvalidArgumentError('expected a port number (0-65535)');
  return n;
}

function parseMb(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError('expected a number of megabytes');
  return n;
}

/** `name=value` of an eviction setting (maxmemory, maxmemory-policy, ...), or null for another one. */
function evictionSetting(text: string): [keyof EvictionConfig, string] | null {
  const eq = text.indexOf('=');
  const name = (eq < 0 ? text : text.slice(0, eq)).trim().toLowerCase();
  return isEvictionConfigName(name) ? [name, eq < 0 ? '' : text.slice(eq + 1).trim()] : null;
}

function collectServeConfig(text: string, previous: string[] = []): string[] {
  try {
    const ev = evictionSetting(text);
    if (ev) parseEvictionSetting(ev[0], ev[1]);
    else parseConfigOverrides([text]);
  } catch (err) {
    throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
  }
  return [...previous, text];
}

/** The eviction settings among --config's, as the instance takes them. */
function evictionOptions(config: string[]): Partial<EvictionConfig> {
  const out: Record<string, number | string> = {};
  for (const t of config) {
    const ev = evictionSetting(t);
    if (ev) out[ev[0]] = parseEvictionSetting(ev[0], ev[1]);
  }
  return out as Partial<EvictionConfig>;
}

/** Whether `host` is a loopback address: only this machine can reach a server bound to it. */
function isLoopbackBind(host: string): boolean {
  return /^127\./.test(host) || host === '::1' || host === 'localhost';
}

/**
 * The warning at start when the bind address is reachable from other hosts and no password is
 * set: protected mode refuses them (say so, and how to serve them), or, with it off, anyone
 * who reaches the port reads and writes.
 */
export function protectionWarning(bind: string, inst: { requirepass: string | undefined; protectedMode: boolean }): string | null {
  if (isLoopbackBind(bind) || inst.requirepass !== undefined) return null;
  if (inst.protectedMode) {
    return `warning: protected mode: listening on ${bind} without a password, so clients from other hosts get -DENIED (only 127.0.0.1 and ::1 are served); give --requirepass to serve them with AUTH, or --protected-mode no to serve them without`;
  }
  return `warning: --protected-mode no and no password: anyone who reaches ${bind} can read and write every key (give --requirepass)`;
}

/** A file's size for the interruption message; null when it cannot be read (loading says why). */
async function sizeOf(file: string): Promise<number | null> {
  try {
    return (await stat(file)).size;
  } catch {
    return null;
  }
}

/** Load the dumps and listen; resolves with the server once it accepts connections. */
export async function startServe(dumps: string[], o: ServeOptions, log: (line: string) => void): Promise<RespServer> {
  const config = parseConfigOverrides(o.config.filter((t) => evictionSetting(t) === null));
  const eviction = evictionOptions(o.config);
  if (o.replicaof && dumps.length > 0) throw new CliError('--replicaof takes the data from the primary: give no dump files', 2);
  if (o.refresh !== undefined && !dumps.some(isLiveUrl)) throw new CliError('--refresh re-reads redis:// sources: give one', 2);
  const t0 = Date.now();
  // as redis-server: no start on a file that is no dump (not RDB, empty, unknown version)
  for (const d of dumps) if (!isLiveUrl(d)) await readDumpHeader(d, o.target);
  // the server and its ~330 command modules load only for serve, not for every rdblens command
  const { RespServer } = await import('../../src/resp/server.js');
  // listening from the start, as redis-server does: while the dumps load, clients get
  // -LOADING for what needs the data (Instance.loading); the profile follows the dump's once read
  const server = new RespServer({
    port: o.port,
    host: o.bind,
    requirepass: o.requirepass,
    protectedMode: o.protectedMode !== 'no',
    readOnly: o.readOnly,
    tracking: o.tracking,
    profile: makeProfile(o.target ?? profileForRedisVersion('7.0.15'), config),
    cacheBytes: o.cacheMb * 1024 * 1024,
    following: o.replicaof !== undefined,
    eviction,
    log,
  });
  try {
    await server.listen();
  } catch (err) {
    await server.close();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new CliError(`${o.bind}:${o.port}: address already in use`);
    if (e.code === 'EACCES') throw new CliError(`${o.bind}:${o.port}: permission denied`);
    throw err;
  }
  if (dumps.length > 0) {
    try {
      await loadInto(server, dumps, o, config, log);
    } catch (err) {
      await server.close();
      throw err;
    }
  }
  const exposure = protectionWarning(o.bind, server.instance);
  if (exposure) log(exposure);
  let follower: Follower | null = null;
  if (o.replicaof) {
    const { Follower } = await import('../../src/replica/follower.js');
    const f = (follower = new Follower(server.instance, {
      host: o.replicaof.host,
      port: o.replicaof.port,
      masterauth: o.masterauth,
      masteruser: o.masteruser,
      listeningPort: server.port,
      target: o.target,
      config,
      log,
    }));
    f.start();
    const close = server.close.bind(server);
    server.close = async () => {
      f.close();
      await close();
    };
  }
  await startExtras(server, dumps, o, { follower, config, t0, log });
  return server;
}

/** Read the dumps (and redis:// sources) into a listening server, answering -LOADING meanwhile. */
async function loadInto(server: RespServer, dumps: string[], o: ServeOptions, config: ReturnType<typeof parseConfigOverrides>, log: (line: string) => void): Promise<void> {
  const inst = server.instance;
  inst.loading = true;
  log(`rdblens serve: loading ${dumps.length} dump(s); ${o.bind}:${server.port} answers -LOADING until they are in`);
  // SIGINT / SIGTERM while the dumps load: say where (cli/interrupt.ts)
  const watch = new LoadWatch(await Promise.all(dumps.map(async (d) => ({ name: d, size: isLiveUrl(d) ? null : await sizeOf(d) }))));
  const load: LoadOptions = { target: o.target, config, onLoadProgress: (_all, keys, i, bytes) => watch.onLoad(keys, i, bytes) };
  // one large dump: two worker threads (cli/split-load.ts)
  load.readFile = splitReader(load);
  const loaded = await whileLoading(watch, log, () => loadSources(dumps, load));
  for (const a of loaded.analyses) {
    for (const line of integrityWarnings(a.file, a.integrity)) log(line);
    if (!a.error) continue;
    // redis-server refuses a dump it cannot read to the end ("Short read or OOM loading DB")
    if (!o.allowTruncated) throw new CliError(`${a.error.message}; not serving it (redis-server would not start): --allow-truncated serves the ${a.keysInFile} keys read before it`);
    log(`warning: ${a.error.message} (--allow-truncated: serving the ${a.keysInFile} keys read before it)`);
  }
  inst.replaceDataset(loaded);
  inst.loading = false;
}

/** --refresh and --metrics: started once the server listens; stopped with it. */
async function startExtras(
  server: RespServer,
  dumps: string[],
  o: ServeOptions,
  x: { follower: Follower | null; config: ReturnType<typeof parseConfigOverrides>; t0: number; log: (line: string) => void },
): Promise<void> {
  let refresher: LiveRefresher | null = null;
  if (o.refresh !== undefined) {
    refresher = new LiveRefresher(dumps, { target: o.target, config: x.config }, o.refresh, (l) => server.instance.replaceDataset(l), x.log);
    refresher.start(Date.now(), Date.now() - x.t0);
  }
  let exporter: MetricsExporter | null = null;
  if (o.metrics) {
    try {
      // prom-client only where metrics are served
      const { startMetrics } = await import('../../src/metrics/exporter.js');
      exporter = await startMetrics(
        { server: server.instance, follower: x.follower, refresh: refresher?.state ?? null },
        { separators: o.separators, depth: o.metricsDepth, topPrefixes: o.metricsPrefixes },
        o.metrics.host,
        o.metrics.port,
      );
    } catch (err) {
      refresher?.close();
      await server.close();
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EADDRINUSE') throw new CliError(`--metrics ${o.metrics.host}:${o.metrics.port}: address already in use`);
      throw err;
    }
    x.log(`rdblens serve: metrics on http://${o.metrics.host.includes(':') ? `[${o.metrics.host}]` : o.metrics.host}:${exporter.port}/metrics`);
  }
  if (!refresher && !exporter) return;
  const close = server.close.bind(server);
  server.close = async () => {
    refresher?.close();
    await exporter?.close();
    await close();
  };
}

export function register(program: Command, io: () => CommandIo = () => ({ stdout: process.stdout, stderr: process.stderr })): void {
  const cmd = program
    .command('serve')
    .description('serve dumps over RESP to redis-cli and Redis clients, with live writes and memory tracking')
    .argument('[dump...]', 'RDB files (none: start empty)')
    .option('--port <port>', 'TCP port (0: any free one)', parsePort, 6379)
    .option('--bind <addr>', 'address to listen on', '127.0.0.1')
    .option('--requirepass <password>', "require AUTH with this password ('': none)")
    .addOption(new Option('--protected-mode <yes|no>', 'yes: without a password, refuse clients not from 127.0.0.1 or ::1 (-DENIED), as Redis').choices(['yes', 'no']).default('yes'))
    .option('--read-only', 'refuse writes (-READONLY)', false)
    .option('--no-tracking', 'do not update memory figures on writes')
    .option('--target <version>', 'model this server: 5.0, 6.2, 7.0, 7.2, 7.4, 8.0, valkey-8.0, or e.g. 7.2.4 (default: the one that wrote the dump, else 7.0)', parseTarget)
    .option('--config <name=value>', 'server configuration, e.g. hash-max-listpack-entries=1024, maxmemory=100mb, maxmemory-policy=allkeys-lru (repeatable)', collectServeConfig, [] as string[])
    .option('--cache-mb <n>', 'megabytes of decoded dump values kept in memory', parseMb, 64)
    .option('--replicaof <host:port>', 'follow a running primary as a replica (PSYNC): its data, kept current; read-only', parseHostPort)
    .option('--masterauth <password>', "the primary's password (AUTH)")
    .option('--masteruser <user>', 'the ACL user to AUTH as on the primary')
    .option('--refresh <interval>', 'with redis:// sources: read them again every interval (30s, 5m, 1h) and swap the data in whole', parseInterval)
    .option('--metrics <host:port>', 'serve Prometheus metrics at http://host:port/metrics (docs/metrics.md)', parseHostPortZero)
    .option('--metrics-prefixes <n>', 'key prefixes exported by --metrics (the largest; the rest summed as "(other)")', parseBounded(MAX_PREFIXES), 20)
    .option('--metrics-depth <n>', 'the prefix level --metrics exports (1: "user:")', parseBounded(16, 1), 1)
    .option('--separators <chars>', 'characters that end a key prefix (--metrics)', ':')
    .option('--allow-truncated', 'serve a dump that ends early or is damaged (the keys read before the problem); without it such a dump is refused, as redis-server refuses it', false)
    .action(async (dumps: string[], o: ServeOptions) => {
      const err = io().stderr as NodeJS.WritableStream;
      const log = (line: string): void => {
        err.write(`${new Date().toISOString()} ${line}\n`);
      };
      const server = await startServe(dumps, o, log);
      const keys = server.instance.dbs.reduce((s, d) => s + d.size, 0);
      if (o.replicaof) log(`rdblens serve: following ${o.replicaof.host}:${o.replicaof.port}; listening on ${o.bind}:${server.port} (read-only)`);
      else log(`rdblens serve: ${keys} keys from ${dumps.length} dump(s), modelling ${server.instance.profile.id}; listening on ${o.bind}:${server.port}`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          log('rdblens serve: shutting down');
          void server.close().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        // SHUTDOWN closed it
        void server.closed.then(() => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        });
      });
    });
  addLiveOptions(cmd);
}

function parseBounded(max: number, min = 0): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/** host:port where port may be 0 (any free one) */
function parseHostPortZero(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new InvalidArgumentError('expected host:port, e.g. 127.0.0.1:9121 (port 0: any free one)');
  return { host: (m[1] ?? m[2])!, port };
}
