/**
 * The differential harness of test/server: run one scenario on raw connections against a live
 * redis-server and against rdblens serve (each FLUSHALLed first, notifications off) and
 * require the same log of replies.
 */
import assert from 'node:assert/strict';
import { Raw } from './raw.js';

export type Scenario = (open: () => Promise<Raw>, log: (s: string) => void) => Promise<void>;

export async function both(redisPort: number, oursPort: number, s: Scenario): Promise<void> {
  const run = async (port: number): Promise<string[]> => {
    const out: string[] = [];
    const conns: Raw[] = [];
    const open = async (): Promise<Raw> => {
      const r = await Raw.open(port);
      conns.push(r);
      return r;
    };
    const admin = await open();
    await admin.cmd('FLUSHALL');
    await admin.cmd('CONFIG', 'SET', 'notify-keyspace-events', '');
    try {
      await s(open, (x) => out.push(x));
    } finally {
      for (const c of conns) c.close();
    }
    return out;
  };
  const want = await run(redisPort);
  const got = await run(oursPort);
  assert.deepEqual(got, want);
}
