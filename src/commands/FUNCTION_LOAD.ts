/** FUNCTION LOAD [REPLACE] code (functionLoadCommand) */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { is } from './_util.js';
import { createLibrary, fail, loadTimeout } from './_functions.js';

export function handler(c: Context, argv: Buffer[]): void {
  let replace = false;
  let pos = 2;
  while (pos < argv.length - 1) {
    const a = argv[pos++]!;
    if (is(a, 'REPLACE')) {
      replace = true;
      continue;
    }
    throw new ReplyError(`ERR Unknown option given: ${a.latin1Slice(0, a.length)}`);
  }
  if (pos >= argv.length) throw new ReplyError('ERR Function code is missing');
  const r = createLibrary(c, argv[pos]!, replace, c.instance.scripting.libraries, loadTimeout(c));
  if (typeof r === 'string') fail(r);
  c.reply.bulkStr(r.name);
}
