/**
 * PFSELFTEST (pfselftestCommand, hyperloglog.c 7.0): Redis runs its register and estimator
 * self test and replies OK; rdblens's HyperLogLog is checked against redis-server by its own
 * tests (test/engine/hyperloglog.test.ts), so this replies OK without the long run.
 */
import type { Context } from './context.js';

export function handler(c: Context): void {
  c.reply.ok();
}
