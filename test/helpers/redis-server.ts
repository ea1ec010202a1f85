/**
 * Throwaway redis-server instances for tests, the sample generator and benches.
 *
 * Each instance is our own child process on 127.0.0.1 and a free port, with
 * persistence disabled (`--save '' --appendonly no`) and its own directory.
 * It is stopped by pid only (SIGTERM, then SIGKILL after a timeout).
 */
import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RespDecoder, encodeCommand, type RespReply } from './resp.js';

export { RespDecoder, encodeCommand, decodeAll, replyText, type RespReply } from './resp.js';

export interface StartRedisOptions {
  /** Extra redis-server arguments, appended after the defaults (e.g. ['--dbfilename', 'x.rdb']). */
  args?: string[];
  /** Working directory for the server (dump files go here). Default: a fresh temp dir, removed by stop(). */
  dir?: string;
  /** Keep an auto-created temp dir on stop(). Default false. */
  keepDir?: boolean;
  /** How long to wait for PING to answer. Default 10 000 ms. */
  startTimeoutMs?: number;
  /**
   * Serve TLS only: `--port 0 --tls-port <port>` with these PEM files (see makeTlsCerts) and
   * `--tls-auth-clients optional`; the helper's own connection and redis-cli use TLS too.
   */
  tls?: TlsFiles;
}

export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

export interface RedisHandle {
  port: number;
  pid: number;
  /** Absolute path of the server's working directory. */
  dir: string;
  /** Run `redis-cli -h 127.0.0.1 -p <port> ...args`; resolves stdout, rejects on non-zero exit. */
  cli(...args: string[]): Promise<string>;
  /** Send one command over a persistent RESP2 connection. Error replies resolve as Error values. */
  command(...args: (string | Buffer)[]): Promise<RespReply>;
  /** Feed raw RESP bytes to `redis-cli --pipe`; resolves its output, rejects if any reply was an error. */
  pipe(data: Buffer): Promise<string>;
  /** Run SAVE and return the absolute path of the dump file. */
  save(): Promise<string>;
  /** Stop the server (by pid) and, if the helper created it, remove the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** Last lines the server printed (its log goes to stdout). */
  logTail(): string;
}

const LOG_LINES = 200;
const live = new Set<ChildProcess>();

// Never leave servers behind if the host process exits abruptly.
process.once('exit', () => {
  for (const child of live) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
});

/** A port that was free a moment ago (bind 127.0.0.1:0, read it, close). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('could not determine a free port'));
        return;
      }
      const { port } = addr;
      srv.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/** A small in-order RESP2 client over one TCP connection. */
export class RespClient {
  private socket: net.Socket | tls.TLSSocket | null = null;
  private connecting: Promise<net.Socket> | null = null;
  private readonly decoder = new RespDecoder();
  private readonly waiting: Array<{ resolve: (r: RespReply) => void; reject: (e: Error) => void }> = [];

  constructor(
    readonly port: number,
    readonly host = '127.0.0.1',
    /** a CA to trust: connect with TLS */
    readonly tlsCa?: Buffer,
  ) {}

  private connect(): Promise<net.Socket> {
    if (this.socket) return Promise.resolve(this.socket);
    if (this.connecting) return this.connecting;
    this.connecting = new Promise<net.Socket>((resolve, reject) => {
      const sock = this.tlsCa ? tls.connect({ port: this.port, host: this.host, ca: this.tlsCa }) : net.createConnection({ port: this.port, host: this.host });
      sock.setNoDelay(true);
      const onConnectError = (err: Error) => {
        this.connecting = null;
        reject(err);
      };
      sock.once('error', onConnectError);
      sock.once(this.tlsCa ? 'secureConnect' : 'connect', () => {
        sock.off('error', onConnectError);
        sock.on('error', (err) => this.fail(err));
        sock.on('close', () => this.fail(new Error('connection closed')));
        sock.on('data', (chunk: Buffer) => this.onData(chunk));
        this.socket = sock;
        this.connecting = null;
        resolve(sock);
      });
    });
    return this.connecting;
  }

  private onData(chunk: Buffer): void {
    let replies: RespReply[];
    try {
      replies = this.decoder.push(chunk);
    } catch (err) {
      this.socket?.destroy();
      this.fail(err as Error);
      return;
    }
    for (const reply of replies) {
      const w = this.waiting.shift();
      if (w) w.resolve(reply);
    }
  }

  private fail(err: Error): void {
    this.socket = null;
    for (const w of this.waiting.splice(0)) w.reject(err);
  }

  async command(args: (string | Buffer)[]): Promise<RespReply> {
    const sock = await this.connect();
    return new Promise<RespReply>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      sock.write(encodeCommand(args));
    });
  }

  close(): void {
    const sock = this.socket;
    this.socket = null;
    if (sock) {
      sock.removeAllListeners('close');
      sock.destroy();
    }
    this.fail(new Error('client closed'));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function runFile(cmd: string, args: string[], input?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stdout}${stderr}`.trimEnd()));
      } else {
        resolve(stdout);
      }
    });
    if (input) child.stdin?.end(input);
  });
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, ms);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

async function killByPid(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(child.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  if (await waitExit(child, 5000)) return;
  try {
    process.kill(child.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  await waitExit(child, 5000);
}

class StartError extends Error {
  constructor(
    message: string,
    readonly addrInUse: boolean,
  ) {
    super(message);
  }
}

async function startOnce(port: number, dir: string, extraArgs: string[], timeoutMs: number, tlsFiles?: TlsFiles) {
  const listen = tlsFiles
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tlsFiles.cert, '--tls-key-file', tlsFiles.key, '--tls-ca-cert-file', tlsFiles.ca, '--tls-auth-clients', 'optional']
    : ['--port', String(port)];
  const args = [
    ...listen,
    '--bind', '127.0.0.1',
    '--save', '',
    '--appendonly', 'no',
    '--dir', dir,
    ...extraArgs,
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));

  const log: string[] = [];
  let partial = '';
  const onOutput = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    log.push(...lines);
    if (log.length > LOG_LINES) log.splice(0, log.length - LOG_LINES);
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);
  const logTail = () => [...log, partial].filter((l) => l !== '').slice(-40).join('\n');

  let spawnError: Error | null = null;
  child.once('error', (err) => {
    spawnError = err;
  });

  const client = new RespClient(port, '127.0.0.1', tlsFiles ? readFileSync(tlsFiles.ca) : undefined);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (spawnError) throw new StartError(`could not spawn redis-server: ${(spawnError as Error).message}`, false);
    if (child.exitCode !== null || child.signalCode !== null) {
      const tail = logTail();
      throw new StartError(
        `redis-server exited during startup (code ${child.exitCode}, signal ${child.signalCode}). Log tail:\n${tail}`,
        /address already in use/i.test(tail),
      );
    }
    if (Date.now() > deadline) {
      client.close();
      await killByPid(child);
      throw new StartError(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms. Log tail:\n${logTail()}`, false);
    }
    try {
      const reply = await client.command(['PING']);
      if (reply === 'PONG') break;
      client.close();
    } catch {
      client.close();
    }
    await sleep(50);
  }
  return { child, client, logTail };
}

/** Start a private redis-server; see RedisHandle. */
export async function startRedis(opts: StartRedisOptions = {}): Promise<RedisHandle> {
  const ownDir = opts.dir === undefined;
  const dir = path.resolve(opts.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'rdblens-redis-'))));
  const extra = opts.args ?? [];
  const timeoutMs = opts.startTimeoutMs ?? 10_000;

  let started: Awaited<ReturnType<typeof startOnce>> | undefined;
  let port = 0;
  for (let attempt = 1; !started; attempt++) {
    port = await findFreePort();
    try {
      started = await startOnce(port, dir, extra, timeoutMs, opts.tls);
    } catch (err) {
      if (err instanceof StartError && err.addrInUse && attempt < 5) continue;
      if (ownDir && !opts.keepDir) await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }
  const { child, client, logTail } = started;
  const pid = child.pid!;
  let stopped: Promise<void> | null = null;

  const command = (...args: (string | Buffer)[]) => client.command(args);
  const cliTls = opts.tls ? ['--tls', '--cacert', opts.tls.ca] : [];
  const cli = (...args: string[]) => runFile('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...cliTls, ...args]);

  return {
    port,
    pid,
    dir,
    cli,
    command,
    async pipe(data: Buffer) {
      const out = await runFile('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...cliTls, '--pipe'], data).catch((err: Error) => {
        throw new Error(`${err.message}\nredis-server log tail:\n${logTail()}`);
      });
      const m = /errors: (\d+), replies: (\d+)/.exec(out);
      if (!m || m[1] !== '0') throw new Error(`redis-cli --pipe reported errors:\n${out.slice(-4000)}`);
      return out;
    },
    async save() {
      const reply = await command('SAVE');
      if (reply !== 'OK') throw new Error(`SAVE failed: ${String(reply)}\n${logTail()}`);
      const cfg = await command('CONFIG', 'GET', 'dbfilename');
      const name = Array.isArray(cfg) && Buffer.isBuffer(cfg[1]) ? cfg[1].toString('utf8') : 'dump.rdb';
      return path.join(dir, name);
    },
    stop() {
      stopped ??= (async () => {
        client.close();
        await killByPid(child);
        if (ownDir && !opts.keepDir) await rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
    logTail,
  };
}

/**
 * Whether `program` is on the PATH. A test that needs it skips without it, except in CI
 * (CI=true), where a missing program fails the test: .ci/run installs every one.
 */
export function needProgram(program: string, t: { skip(msg?: string): void }): boolean {
  let found = true;
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
  } catch {
    found = false;
  }
  if (found) return true;
  if (process.env.CI === 'true') throw new Error(`${program} is not installed (CI=true: .ci/run should have installed it)`);
  t.skip(`${program} is not installed`);
  return false;
}

/** Whether this redis-server was built with TLS (Debian's is). */
export function redisHasTls(): boolean {
  try {
    const out = execFileSync('sh', ['-c', 'ldd "$(command -v redis-server)"'], { encoding: 'utf8' });
    return /libssl/.test(out);
  } catch {
    return false;
  }
}

/**
 * A CA and a server certificate for 127.0.0.1 / localhost signed by it, made by openssl in
 * `dir` (ca.pem, server.pem, server.key).
 */
export async function makeTlsCerts(dir: string): Promise<TlsFiles> {
  const f = (n: string) => path.join(dir, n);
  const openssl = (...args: string[]) => runFile('openssl', args);
  await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=rdblens test CA');
  await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=localhost');
  await writeFile(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n');
  await openssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '2', '-extfile', f('ext.cnf'));
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}

export interface RedisCluster {
  nodes: RedisHandle[];
  stop(): Promise<void>;
}

/**
 * A Redis Cluster of `n` primaries on loopback (`--cluster-enabled yes`, each its own
 * --cluster-config-file), slots assigned by `redis-cli --cluster create`; resolves once every
 * node reports cluster_state:ok.
 */
export async function startCluster(n = 3, opts: { args?: string[] } = {}): Promise<RedisCluster> {
  const nodes: RedisHandle[] = [];
  const dirs: string[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((h) => h.stop()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  };
  try {
    for (let i = 0; i < n; i++) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'rdblens-cluster-'));
      dirs.push(dir);
      nodes.push(
        await startRedis({
          dir,
          args: ['--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, 'nodes.conf'), '--cluster-node-timeout', '5000', ...(opts.args ?? [])],
        }),
      );
    }
    await runFile('redis-cli', ['--cluster', 'create', ...nodes.map((h) => `127.0.0.1:${h.port}`), '--cluster-yes']);
    const deadline = Date.now() + 30_000;
    for (const h of nodes) {
      for (;;) {
        const info = String(await h.command('CLUSTER', 'INFO'));
        if (/cluster_state:ok/.test(info)) break;
        if (Date.now() > deadline) throw new Error(`cluster did not reach cluster_state:ok:\n${info}`);
        await sleep(100);
      }
    }
    return { nodes, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
