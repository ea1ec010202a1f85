/** HELLO [protover [AUTH username password] [SETNAME clientname]] (hello, networking.c). */
import { connOf, type Context } from './context.js';
import { ReplyError, ERR, printable } from './errors.js';
import { parseLongLong } from '../protocol/decoder.js';
import { is } from './_util.js';
import { checkPassword } from './AUTH.js';
import { validClientName, CLIENT_NAME_ERR } from './CLIENT_SETNAME.js';

export function handler(c: Context, argv: Buffer[]): void {
  let ver = 0;
  let i = 1;
  if (argv.length >= 2) {
    const v = parseLongLong(argv[1]!, 0, argv[1]!.length);
    if (v === null) throw new ReplyError('ERR Protocol version is not an integer or out of range');
    if (v < 2 || v > 3) throw new ReplyError('NOPROTO unsupported protocol version');
    ver = v;
    i = 2;
  }
  let name: Buffer | null = null;
  let authUser: Buffer | null = null;
  let authPass: Buffer | null = null;
  for (; i < argv.length; i++) {
    const more = argv.length - i - 1;
    if (is(argv[i]!, 'AUTH') && more >= 2) {
      authUser = argv[i + 1]!;
      authPass = argv[i + 2]!;
      i += 2;
    } else if (is(argv[i]!, 'SETNAME') && more >= 1) {
      name = argv[i + 1]!;
      i += 1;
    } else {
      throw new ReplyError(`ERR Syntax error in HELLO option '${printable(argv[i]!, 128)}'`);
    }
  }
  if (authUser && authPass) {
    const pass = c.instance.requirepass;
    const user = authUser.toString('latin1');
    if (user !== 'default' || (pass !== undefined && !checkPassword(authPass, pass))) throw new ReplyError(ERR.WRONGPASS);
    connOf(c).setAuthenticated(true);
  }
  if (!connOf(c).authenticated) {
    throw new ReplyError(
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    );
  }
  if (name) {
    if (!validClientName(name)) throw new ReplyError(CLIENT_NAME_ERR);
    connOf(c).name = name.toString('latin1');
  }
  if (ver) {
    c.resp = ver;
    c.reply.resp = ver;
  }
  const w = c.reply;
  w.map(7);
  w.bulkStr('server');
  w.bulkStr('redis');
  w.bulkStr('version');
  w.bulkStr(c.instance.redisVersion());
  w.bulkStr('proto');
  w.int(c.resp);
  w.bulkStr('id');
  w.int(connOf(c).id);
  w.bulkStr('mode');
  w.bulkStr('standalone');
  w.bulkStr('role');
  w.bulkStr('master');
  w.bulkStr('modules');
  w.array(0);
}
