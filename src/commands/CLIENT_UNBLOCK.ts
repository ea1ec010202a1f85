/** CLIENT UNBLOCK id [TIMEOUT|ERROR] (networking.c 7.0): 1 when a blocked client was unblocked. */
import { connOf, type Context } from './context.js';
import { ReplyError } from './errors.js';
import { is, argInt } from './_util.js';
import { connectionById } from './_clients.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length > 4) throw new ReplyError("ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.");
  let withError = false;
  if (argv.length === 4) {
    if (is(argv[3]!, 'TIMEOUT')) withError = false;
    else if (is(argv[3]!, 'ERROR')) withError = true;
    else throw new ReplyError('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
  }
  const id = argInt(argv[2]!);
  const target = connectionById(connOf(c), id);
  const b = target?.session.blocked;
  if (!b) return c.reply.int(0);
  b.unblock(withError);
  c.reply.int(1);
}
