/**
 * `rdblens serve [dump...]`: a RESP server over the dumps (and live writes) for redis-cli and
 * Redis clients, with MEMORY USAGE / STATS / DOCTOR and INFO memory from the model. See
 * docs/server.md.
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadKeyspaces } from '../../src/engine/load.js';
import { parseConfigOverrides } from '../../src/memory/usage.js';
import { profile as makeProfile, type ProfileId } from '../../src/memory/profiles.js';
import { profileForRedisVersion } from '../../src/memory/profiles.js';
import { RespServer } from '../../src/resp/server.js';
import { Follower } from '../../src/replica/follower.js';
import { CliError } from '../errors.js';
import { collectConfig, parseHostPort, parseTarget } from '../options.js';
import type { CommandIo } from '../common.js';

export interface ServeOptions {
  port: number;
  bind: string;
  requirepass?: string;
  readOnly: boolean;
  tracking: boolean;
  target?: ProfileId;
  config: string[];
  cacheMb: number;
  replicaof?: { host: string; port: number };
  masterauth?: string;
  masteruser?: string;
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

/** Load the dumps and listen; resolves with the server once it accepts connections. */
export async function startServe(dumps: string[], o: ServeOptions, log: (line: string) => void): Promise<RespServer> {
  const config = parseConfigOverrides(o.config);
  if (o.replicaof && dumps.length > 0) throw new CliError('--replicaof takes the data from the primary: give no dump files', 2);
  const loaded = dumps.length > 0 ? await loadKeyspaces(dumps, { target: o.target, config }) : undefined;
  if (loaded) {
    for (const a of loaded.analyses) if (a.error) log(`warning: ${a.error.message} (serving the keys read before it)`);
  }
  let prof = loaded?.analyses[0]?.profile;
  if (!prof) prof = makeProfile(o.target ?? profileForRedisVersion('7.0.15'), config);
  const server = new RespServer({
    port: o.port,
    host: o.bind,
    requirepass: o.requirepass,
    readOnly: o.readOnly,
    tracking: o.tracking,
    profile: prof,
    loaded,
    cacheBytes: o.cacheMb * 1024 * 1024,
    following: o.replicaof !== undefined,
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
  if (o.replicaof) {
    const f = new Follower(server.instance, {
      host: o.replicaof.host,
      port: o.replicaof.port,
      masterauth: o.masterauth,
      masteruser: o.masteruser,
      listeningPort: server.port,
      target: o.target,
      config,
      log,
    });
    f.start();
    const close = server.close.bind(server);
    server.close = async () => {
      f.close();
      await close();
    };
  }
  return server;
}

export function register(program: Command, io: () => CommandIo = () => ({ stdout: process.stdout, stderr: process.stderr })): void {
  program
    .command('serve')
    .description('serve dumps over RESP to redis-cli and Redis clients, with live writes and memory tracking')
    .argument('[dump...]', 'RDB files (none: start empty)')
    .option('--port <port>', 'TCP port (0: any free one)', parsePort, 6379)
    .option('--bind <addr>', 'address to listen on', '127.0.0.1')
    .option('--requirepass <password>', 'require AUTH with this password')
    .option('--read-only', 'refuse writes (-READONLY)', false)
    .option('--no-tracking', 'do not update memory figures on writes')
    .option('--target <version>', 'model this server: 5.0, 6.2, 7.0, 7.2, 7.4, 8.0, valkey-8.0, or e.g. 7.2.4 (default: the one that wrote the dump, else 7.0)', parseTarget)
    .option('--config <name=value>', 'server configuration, e.g. hash-max-listpack-entries=1024 (repeatable)', collectConfig, [] as string[])
    .option('--cache-mb <n>', 'megabytes of decoded dump values kept in memory', parseMb, 64)
    .option('--replicaof <host:port>', 'follow a running primary as a replica (PSYNC): its data, kept current; read-only', parseHostPort)
    .option('--masterauth <password>', "the primary's password (AUTH)")
    .option('--masteruser <user>', 'the ACL user to AUTH as on the primary')
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
      });
    });
}
