/** AUTH [username] password (the default user only, as with requirepass). */
import { connOf, type Context } from './context.js';
import { timingSafeEqual } from 'node:crypto';
import { ReplyError, ERR } from './errors.js';

export function handler(c: Context, argv: Buffer[]): void {
  const pass = c.instance.requirepass;
  if (argv.length > 3) throw new ReplyError(ERR.SYNTAX);
  const user = argv.length === 3 ? argv[1]!.toString('latin1') : 'default';
  const given = argv[argv.length - 1]!;
  if (pass === undefined) {
    if (argv.length === 2) throw new ReplyError(ERR.NOPASS);
    // the default user has nopass: any password works for it
    if (user !== 'default') throw new ReplyError(ERR.WRONGPASS);
    connOf(c).setAuthenticated(true);
    c.reply.ok();
    return;
  }
  if (user !== 'default' || !checkPassword(given, pass)) {
    c.instance.log(`AUTH failed for client ${connOf(c).info()}`);
    throw new ReplyError(ERR.WRONGPASS);
  }
  connOf(c).setAuthenticated(true);
  c.reply.ok();
}

/** constant-time comparison (timingSafeEqual over equal lengths) */
export function checkPassword(given: Buffer, pass: string): boolean {
  const want = Buffer.from(pass, 'utf8');
  if (given.length !== want.length) return false;
  return timingSafeEqual(given, want);
}
