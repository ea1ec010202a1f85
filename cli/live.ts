/**
 * Live sources on the command line: `redis://…` / `rediss://…` in place of a dump, the flags
 * that go with them (TLS files, --cluster, --rate, --batch, --verify), and the step that turns
 * them into source strings before a command runs (cli/options.ts adds them to every analysis
 * command). Each flag becomes a parameter of every source URL (src/source/url.ts), so that the
 * source reads the same in a worker thread; --cluster replaces a URL by one per primary.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import { clusterPrimaries } from '../src/source/connect.js';
import { LiveSource } from '../src/source/live.js';
import { isLiveUrl, parseLiveUrl, withParams } from '../src/source/url.js';
import { LiveSourceError } from '../src/source/errors.js';
import { profileForRedisVersion } from '../src/memory/usage.js';
import type { ProfileId } from '../src/memory/profiles.js';
import type { DumpHeader } from './analysis.js';
import type { DumpInput } from './input.js';
import { CliError } from './errors.js';
import { parseNonNegativeInt, parsePositiveInt } from './options.js';

export interface LiveOptionValues {
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsInsecure?: boolean;
  cluster?: boolean;
  rate?: number;
  batch?: number;
  verify?: number;
}

export interface LiveOptionSet {
  /** the command reads its input by offset after loading (the explorer): spool a source to a temp file */
  spool?: boolean;
}

/** Add the live-source flags to a command, and the step that applies them before its action. */
export function addLiveOptions(cmd: Command, set: LiveOptionSet = {}): Command {
  cmd
    .option('--tls-ca <file>', 'redis:// sources: CA certificate(s) to trust (PEM), for rediss://')
    .option('--tls-cert <file>', 'redis:// sources: client certificate (PEM), for rediss://')
    .option('--tls-key <file>', "redis:// sources: the client certificate's key (PEM)")
    .option('--tls-insecure', 'redis:// sources: do not verify the server certificate', false)
    .option('--cluster', 'redis:// sources: read every primary of the Redis Cluster the URL names', false)
    .addOption(new Option('--rate <keys/s>', 'redis:// sources: read at most this many keys per second (0: no limit)').argParser(parseNonNegativeInt('keys per second')))
    .addOption(new Option('--batch <n>', 'redis:// sources: keys per SCAN and per DUMP pipeline (default 100)').argParser(parsePositiveInt('a batch size')))
    .addOption(new Option('--verify <n>', "redis:// sources: compare n sampled keys' sizes with the server's MEMORY USAGE SAMPLES 0").argParser(parseNonNegativeInt('a key count')));
  cmd.hook('preAction', async (_self, action) => {
    const o = action.opts<LiveOptionValues>();
    const args = action.processedArgs as unknown[];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (typeof a === 'string') {
        if (!isLiveUrl(a)) continue;
        const list = await prepareSources([a], o);
        if (list.length !== 1) throw new CliError(`${cmd.name()} reads one source: --cluster gives ${list.length} (read them one by one)`, 2);
        args[i] = set.spool ? await spool(list[0]!) : list[0]!;
      } else if (Array.isArray(a) && a.some((x) => typeof x === 'string' && isLiveUrl(x))) {
        const list = await prepareSources(a as string[], o);
        args[i] = set.spool ? await Promise.all(list.map((s) => (isLiveUrl(s) ? spool(s) : s))) : list;
      }
    }
  });
  return cmd;
}

/** Apply the flags to each source URL (a URL's own parameters win) and expand --cluster. */
export async function prepareSources(inputs: readonly string[], o: LiveOptionValues): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    if (!isLiveUrl(input)) {
      out.push(input);
      continue;
    }
    const url = withParams(input, {
      'tls-ca': o.tlsCa,
      'tls-cert': o.tlsCert,
      'tls-key': o.tlsKey,
      'tls-insecure': o.tlsInsecure,
      rate: o.rate,
      batch: o.batch,
      verify: o.verify,
    });
    const t = parseLiveUrl(url);
    if (o.cluster) {
      if (t.db !== undefined && t.db !== 0) throw new CliError(`${input}: a Redis Cluster has database 0 only`, 2);
      out.push(...(await clusterPrimaries(t)));
    } else out.push(url);
  }
  return out;
}

/** A live source's header: what INFO says (the server version), its keys for the progress bar. */
export async function liveHeader(url: string, target?: ProfileId): Promise<DumpHeader> {
  const live = await LiveSource.open(url);
  try {
    const f = live.facts;
    const aux: Record<string, string> = { 'redis-ver': f.redisVersion };
    if (f.valkeyVersion !== undefined) aux['valkey-ver'] = f.valkeyVersion;
    const profile = target ?? profileForRedisVersion(f.redisVersion, f.valkeyVersion);
    return { file: live.name, size: f.totalKeys, rdbVersion: 0, valkey: f.valkeyVersion !== undefined, aux, profile, live: true };
  } finally {
    live.close();
  }
}

/** A live source as a readable RDB stream (`rdblens json`); the connection closes at its end. */
export async function openLiveInput(url: string): Promise<DumpInput> {
  const live = await LiveSource.open(url);
  const stream = Readable.from(live.rdb(), { objectMode: false });
  stream.once('close', () => live.close());
  return { file: live.name, totalSize: undefined, stream, config: live.facts.config };
}

const spooled: string[] = [];
process.once('exit', () => {
  for (const d of spooled) void rm(d, { recursive: true, force: true });
});

/**
 * Read a source into a temporary dump file (removed at exit), for commands that read values
 * back by offset from a file (the explorer).
 */
async function spool(url: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rdblens-live-'));
  spooled.push(dir);
  const file = path.join(dir, 'live.rdb');
  const live = await LiveSource.open(url);
  try {
    const ws = createWriteStream(file);
    for await (const c of live.rdb()) {
      if (!ws.write(c)) await new Promise<void>((r) => ws.once('drain', r));
    }
    ws.end();
    await finished(ws);
  } catch (err) {
    if (err instanceof LiveSourceError) throw new CliError(err.message);
    throw err;
  } finally {
    live.close();
  }
  return file;
}
