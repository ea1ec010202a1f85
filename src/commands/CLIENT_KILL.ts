/** CLIENT KILL addr | CLIENT KILL [ID id] [TYPE type] [USER user] [ADDR addr] [LADDR laddr] [SKIPME yes|no] (networking.c 7.0). */
import { connOf, type Context, type Connection } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { is } from './_util.js';
import { parseLongLong } from '../protocol/decoder.js';
import { clientType, clientTypeByName, type ClientType } from './_clients.js';

export function handler(c: Context, argv: Buffer[]): void {
  const self = connOf(c);
  let addr: string | null = null;
  let laddr: string | null = null;
  let type: ClientType | null = null;
  let id = 0;
  let skipme = true;
  if (argv.length === 3) {
    addr = argv[2]!.toString('latin1');
    skipme = false;
  } else {
    for (let i = 2; i < argv.length; i += 2) {
      const more = i + 1 < argv.length;
      const opt = argv[i]!;
      const val = argv[i + 1];
      if (is(opt, 'ID') && more) {
        const v = parseLongLong(val!, 0, val!.length);
        if (v === null || v < 1) throw new ReplyError('ERR client-id should be greater than 0');
        id = v;
      } else if (is(opt, 'TYPE') && more) {
        type = clientTypeByName(val!.toString('latin1'));
        if (type === null) throw new ReplyError(`ERR Unknown client type '${val!.toString('latin1')}'`);
      } else if (is(opt, 'ADDR') && more) addr = val!.toString('latin1');
      else if (is(opt, 'LADDR') && more) laddr = val!.toString('latin1');
      else if (is(opt, 'USER') && more) {
        const u = val!.toString('latin1');
        if (u !== 'default') throw new ReplyError(`ERR No such user '${u}'`);
      } else if (is(opt, 'SKIPME') && more) {
        if (is(val!, 'YES')) skipme = true;
        else if (is(val!, 'NO')) skipme = false;
        else throw new ReplyError(ERR.SYNTAX);
      } else throw new ReplyError(ERR.SYNTAX);
    }
  }
  const victims: Connection[] = [];
  for (const p of self.peers()) {
    if (addr !== null && p.addr !== addr) continue;
    if (laddr !== null && p.laddr !== laddr) continue;
    if (type !== null && clientType(p) !== type) continue;
    if (id !== 0 && p.id !== id) continue;
    if (p === self && skipme) continue;
    victims.push(p);
  }
  for (const p of victims) p.kill();
  if (argv.length === 3) {
    if (victims.length === 0) throw new ReplyError('ERR No such client');
    c.reply.ok();
  } else c.reply.int(victims.length);
}
