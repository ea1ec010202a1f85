/**
 * A network namespace joined to this host by a veth pair, for tests that need a client from
 * another host (protected mode): the host side gets 10.213.<n>.1/30, the namespace side .2.
 * Made with iproute2 (`ip netns add`, `ip link add ... type veth`); removed by remove(), and
 * at process exit if a test left it. Needs root (CAP_NET_ADMIN): without `ip netns`, or when
 * it cannot make one, the test is skipped with the reason, except in CI (CI=true), where it
 * fails (.ci/run installs iproute2).
 */
import { execFile, execFileSync } from 'node:child_process';

export interface NetNs {
  name: string;
  /** the host side's address: bind servers here */
  hostAddr: string;
  /** the client's address, inside the namespace */
  nsAddr: string;
  /**
   * Connect from inside the namespace to host:port, send `data`, collect what comes back until
   * the server closes the connection (closed: true) or `ms` passes.
   */
  exchange(host: string, port: number, data: Buffer | string, ms?: number): Promise<{ reply: Buffer; closed: boolean }>;
  remove(): void;
}

const live = new Set<() => void>();
process.once('exit', () => {
  for (const rm of live) rm();
});

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** What a client inside the namespace runs: one connection, the bytes it got as base64. */
const PROBE = `
const net = require('node:net');
const [host, port, data, ms] = process.argv.slice(1);
const chunks = [];
const s = net.createConnection({ host, port: Number(port) });
let done = false;
const finish = (closed) => {
  if (done) return;
  done = true;
  process.stdout.write(JSON.stringify({ reply: Buffer.concat(chunks).toString('base64'), closed }));
  s.destroy();
  process.exit(0);
};
s.on('data', (d) => chunks.push(d));
s.on('close', () => finish(true));
s.on('error', (e) => { if (chunks.length === 0) { process.stderr.write(String(e)); process.exit(3); } finish(true); });
s.on('connect', () => s.write(Buffer.from(data, 'base64')));
setTimeout(() => finish(false), Number(ms));
`;

/** Why `ip netns` cannot be used here, or null when it can. */
function netnsUnavailable(): string | null {
  try {
    ip(['netns', 'list']);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    return e.code === 'ENOENT' ? 'iproute2 (ip) is not installed' : `ip netns does not work here: ${(e.stderr ?? e.message).trim()}`;
  }
  return null;
}

/**
 * A fresh namespace and veth pair, or null when the test was skipped (see the module comment).
 * Call remove() in a finally.
 */
export function makeNetNs(t: { skip(msg?: string): void }): NetNs | null {
  const why = netnsUnavailable();
  if (why !== null) {
    if (process.env.CI === 'true') throw new Error(`${why} (CI=true: .ci/run installs iproute2; the test needs root)`);
    t.skip(`${why}: the protected-mode test needs a client from another network namespace`);
    return null;
  }
  const tag = String(process.pid % 100000);
  const name = `rdblens-${tag}`;
  const hostIf = `rdbh${tag}`;
  const nsIf = `rdbn${tag}`;
  const octet = process.pid % 250;
  const hostAddr = `10.213.${octet}.1`;
  const nsAddr = `10.213.${octet}.2`;
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    live.delete(remove);
    // deleting one end deletes the pair; the namespace goes with its last reference
    for (const args of [['link', 'del', hostIf], ['netns', 'del', name]]) {
      try {
        ip(args);
      } catch {
        // not made (a set-up step failed before it): nothing to remove
      }
    }
  };
  live.add(remove);
  try {
    ip(['netns', 'add', name]);
    ip(['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
    ip(['link', 'set', nsIf, 'netns', name]);
    ip(['addr', 'add', `${hostAddr}/30`, 'dev', hostIf]);
    ip(['link', 'set', hostIf, 'up']);
    ip(['netns', 'exec', name, 'ip', 'addr', 'add', `${nsAddr}/30`, 'dev', nsIf]);
    ip(['netns', 'exec', name, 'ip', 'link', 'set', nsIf, 'up']);
    ip(['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up']);
  } catch (err) {
    remove();
    // e.g. not root: `ip netns list` works, `ip netns add` is refused
    const e = err as Error & { stderr?: string };
    const why = `setting up network namespace ${name}: ${(e.stderr ?? e.message).trim()}`;
    if (process.env.CI === 'true') throw new Error(`${why} (CI=true: the test needs root and iproute2)`);
    t.skip(`${why}: the protected-mode test needs a client from another network namespace`);
    return null;
  }
  const exchange = (host: string, port: number, data: Buffer | string, ms = 3000): Promise<{ reply: Buffer; closed: boolean }> =>
    new Promise((resolve, reject) => {
      const payload = (typeof data === 'string' ? Buffer.from(data, 'latin1') : data).toString('base64');
      execFile('ip', ['netns', 'exec', name, process.execPath, '-e', PROBE, host, String(port), payload, String(ms)], { encoding: 'utf8' }, (err, stdout, stderr) => {
        if (err) return reject(new Error(`client in ${name} -> ${host}:${port}: ${stderr || err.message}`));
        const r = JSON.parse(stdout) as { reply: string; closed: boolean };
        resolve({ reply: Buffer.from(r.reply, 'base64'), closed: r.closed });
      });
    });
  return { name, hostAddr, nsAddr, exchange, remove };
}
