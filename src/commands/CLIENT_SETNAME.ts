/** CLIENT SETNAME name */
import { connOf, type Context } from './context.js';
import { ReplyError } from './errors.js';

export const CLIENT_NAME_ERR = 'ERR Client names cannot contain spaces, newlines or special characters.';

/** clientSetName: printable ASCII without spaces (networking.c) */
export function validClientName(b: Buffer): boolean {
  for (const ch of b) if (ch < 0x21 || ch > 0x7e) return false;
  return true;
}

export function handler(c: Context, argv: Buffer[]): void {
  const name = argv[2]!;
  if (!validClientName(name)) throw new ReplyError(CLIENT_NAME_ERR);
  connOf(c).name = name.toString('latin1');
  c.reply.ok();
}
