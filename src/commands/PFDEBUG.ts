/** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key (pfdebugCommand, hyperloglog.c 7.0) */
import type { Context } from './context.js';
import { pfdebugDecode, pfdebugEncoding, pfdebugGetreg, pfdebugTodense } from '../engine/hyperloglog.js';
import { ReplyError, printable } from './errors.js';
import { openHll, storeHll } from './_hll.js';

export function handler(c: Context, argv: Buffer[]): void {
  const cmd = printable(argv[1]!, argv[1]!.length);
  const sub = cmd.toLowerCase();
  const o = openHll(c, argv[2]!);
  if (o === null) throw new ReplyError('ERR The specified key does not exist');
  const arity = () => new ReplyError(`ERR Wrong number of arguments for the '${cmd}' subcommand`);
  try {
    if (sub === 'getreg') {
      if (argv.length !== 3) throw arity();
      const { registers, converted } = pfdebugGetreg(o.h);
      // "Force propagation on encoding change"
      if (converted) c.instance.dirty++;
      c.reply.array(registers.length);
      for (const r of registers) c.reply.int(r);
    } else if (sub === 'decode') {
      if (argv.length !== 3) throw arity();
      c.reply.bulkStr(pfdebugDecode(o.h.bytes()));
    } else if (sub === 'encoding') {
      if (argv.length !== 3) throw arity();
      c.reply.simple(pfdebugEncoding(o.h.bytes()));
    } else if (sub === 'todense') {
      if (argv.length !== 3) throw arity();
      const conv = pfdebugTodense(o.h);
      c.instance.dirty += conv;
      c.reply.int(conv);
    } else throw new ReplyError(`ERR Unknown PFDEBUG subcommand '${cmd}'`);
  } finally {
    storeHll(o.v, o.h);
    c.db.refresh(o.id);
  }
}
