/**
 * Whether our MEMORY USAGE figure for a key matches redis-server's within the calculator's
 * accuracy: 2% (skiplist zsets 4%, the spread of zslRandomLevel), or off by exactly one hash
 * table's buckets (8 bytes each) while one side is still rehashing and the other is not: a
 * rehash ends after a number of steps that depends on how the keys hashed, i.e. on the server's
 * random hash seed. DEBUG HTSTATS-KEY (enable-debug-command) shows the tables' sizes.
 */
import type { RespReply } from './redis-server.js';

interface Commands {
  command(...a: (string | Buffer)[]): Promise<RespReply>;
}

/** table sizes of a key's dict on redis-server (DEBUG HTSTATS-KEY) */
export async function tableSizes(redis: Commands, key: string | Buffer): Promise<number[]> {
  const r = await redis.command('DEBUG', 'HTSTATS-KEY', key);
  if (!Buffer.isBuffer(r)) return [];
  return [...r.toString().matchAll(/table size: (\d+)/g)].map((m) => Number(m[1]));
}

export async function memoryAgrees(redis: Commands, key: string | Buffer, enc: string, theirs: number, ours: number): Promise<boolean> {
  const tol = (enc === 'skiplist' ? 0.04 : 0.02) * theirs;
  const d = ours - theirs;
  if (Math.abs(d) <= tol) return true;
  if (enc !== 'hashtable' && enc !== 'skiplist') return false;
  const sizes = await tableSizes(redis, key);
  const t0 = sizes[0] ?? 0;
  for (const t of [t0 / 2, t0, t0 * 2, ...sizes.slice(1)]) if (Math.abs(Math.abs(d) - 8 * t) <= tol) return true;
  return false;
}
