/**
 * Test helpers for the RESP server: an in-process `rdblens serve` on a free loopback port, and
 * a client that speaks RESP2 (test/helpers/resp.ts's decoder).
 */
import { loadKeyspaces } from '../../src/engine/load.js';
import { RespServer, type ServerOptions } from '../../src/resp/server.js';
import { before, after } from 'node:test';
import { RespClient, startRedis, type RedisHandle } from '../helpers/redis-server.js';
import type { ProfileId } from '../../src/memory/profiles.js';

export interface Served {
  server: RespServer;
  port: number;
  client: RespClient;
  command(...args: (string | Buffer)[]): ReturnType<RespClient['command']>;
  stop(): Promise<void>;
}

export async function serve(dumps: string[] = [], opts: ServerOptions & { target?: ProfileId } = {}): Promise<Served> {
  const loaded = dumps.length ? await loadKeyspaces(dumps, opts.target ? { target: opts.target } : {}) : undefined;
  const server = new RespServer({ port: 0, ...(loaded ? { loaded } : {}), ...opts });
  const port = await server.listen();
  const client = new RespClient(port);
  return {
    server,
    port,
    client,
    command: (...args) => client.command(args),
    async stop() {
      client.close();
      await server.close();
    },
  };
}

/**
 * A redis-server 7.0.15 and an rdblens server modelling 7.0 for the whole test file, side by side:
 * started before its first test (each handed to `use`), stopped after its last.
 */
export function redisAndOurs(use: (redis: RedisHandle, ours: Served) => void): void {
  let redis: RedisHandle | undefined;
  let ours: Served | undefined;
  before(async () => {
    redis = await startRedis();
    ours = await serve([], { target: 'redis-7.0' });
    use(redis, ours);
  });
  after(async () => {
    await ours?.stop();
    await redis?.stop();
  });
}
