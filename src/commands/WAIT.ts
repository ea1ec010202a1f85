/**
 * WAIT numreplicas timeout (waitCommand, replication.c 7.0): no replica ever acknowledges
 * here, so 0 — at once when 0 replicas are asked for (or the call may not block), else when
 * the timeout passes (0: never, until CLIENT UNBLOCK).
 */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { argInt } from './_util.js';
import { blockForKeys, mayBlock, parseTimeout } from './_blocking.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (c.instance.shared.following) {
    throw new ReplyError(
      'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
    );
  }
  const n = argInt(argv[1]!);
  const timeout = parseTimeout(argv[2]!, 'milliseconds');
  if (n <= 0 || !mayBlock(c)) return c.reply.int(0);
  blockForKeys(c, { keys: [], timeout, argv, serve: () => false, timedOut: (cc) => cc.reply.int(0) });
}
