/** TYPE key */
import type { Client } from '../client.js';

export function handler(c: Client, argv: Buffer[]): void {
  const id = c.db.find(argv[1]!);
  if (id < 0) c.w.simple('none');
  else c.w.simple(c.db.typeOf(id));
}
