/** FUNCTION DELETE library-name */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';

export function handler(c: Context, argv: Buffer[]): void {
  const s = c.instance.scripting;
  const li = s.libraries.libraries.get(argv[2]!.latin1Slice(0, argv[2]!.length));
  if (!li) throw new ReplyError('ERR Library not found');
  s.libraries.unlink(li);
  s.engine.releaseFunctions([...li.functions.values()].map((f) => f.ref));
  s.forgetLibrary(li.name);
  c.reply.ok();
}
