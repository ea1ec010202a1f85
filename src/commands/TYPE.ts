/** TYPE key */
import type { Context } from './context.js';

export function handler(c: Context, argv: Buffer[]): void {
  // lookupKeyReadWithFlags(LOOKUP_NOTOUCH): the key's access time is left as it is
  const id = c.db.find(argv[1]!, true);
  if (id < 0) c.reply.simple('none');
  else c.reply.simple(c.db.typeOf(id));
}
