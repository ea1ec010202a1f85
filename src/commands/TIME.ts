/** TIME: seconds and microseconds. */
import type { Context } from './context.js';

export function handler(c: Context): void {
  const us = BigInt(Date.now()) * 1000n + BigInt(Math.floor((performance.now() % 1) * 1000));
  c.reply.array(2);
  c.reply.bulkStr(String(us / 1000000n));
  c.reply.bulkStr(String(us % 1000000n));
}
