/** TYPE key */
import type { Context } from './context.js';

export function handler(c: Context, argv: Buffer[]): void {
  const id = c.db.find(argv[1]!);
  if (id < 0) c.reply.simple('none');
  else c.reply.simple(c.db.typeOf(id));
}
