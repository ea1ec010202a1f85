/** TIME: seconds and microseconds. */
import type { Client } from '../client.js';

export function handler(c: Client): void {
  const us = BigInt(Date.now()) * 1000n + BigInt(Math.floor((performance.now() % 1) * 1000));
  c.w.array(2);
  c.w.bulkStr(String(us / 1000000n));
  c.w.bulkStr(String(us % 1000000n));
}
