/** SCRIPT DEBUG YES|SYNC|NO: the Lua debugger (ldb) is not offered; NO is accepted */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { is } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const mode = argv[2]!;
  if (is(mode, 'NO')) return c.reply.ok();
  if (is(mode, 'YES') || is(mode, 'SYNC')) throw new ReplyError('ERR rdblens serve has no Lua debugger (SCRIPT DEBUG YES/SYNC)');
  throw new ReplyError('ERR Use SCRIPT DEBUG YES/SYNC/NO');
}
