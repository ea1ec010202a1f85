/**
 * RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
 * (restoreCommand, cluster.c 7.0): options, BUSYKEY, the TTL checks, the payload's version and
 * CRC-64, then the value laid out as rdbLoadObject does (src/engine/dump-payload.ts).
 */
import type { Context } from './context.js';
import { restoreValue } from '../engine/dump-payload.js';
import { ReplyError, ERR } from './errors.js';
import { argBigInt, is } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  let replace = false;
  let absttl = false;
  let idle = -1;
  let freq = -1;
  for (let j = 4; j < argv.length; j++) {
    const additional = argv.length - j - 1;
    const a = argv[j]!;
    if (is(a, 'REPLACE')) replace = true;
    else if (is(a, 'ABSTTL')) absttl = true;
    else if (is(a, 'IDLETIME') && additional >= 1 && freq === -1) {
      idle = Number(argBigInt(argv[++j]!));
      if (idle < 0) throw new ReplyError('ERR Invalid IDLETIME value, must be >= 0');
    } else if (is(a, 'FREQ') && additional >= 1 && idle === -1) {
      freq = Number(argBigInt(argv[++j]!));
      if (freq < 0 || freq > 255) throw new ReplyError('ERR Invalid FREQ value, must be >= 0 and <= 255');
    } else throw new ReplyError(ERR.SYNTAX);
  }
  const db = c.db;
  const key = argv[1]!;
  if (!replace && db.find(key) >= 0) throw new ReplyError('BUSYKEY Target key name already exists.');
  let ttl = Number(argBigInt(argv[2]!));
  if (ttl < 0) throw new ReplyError('ERR Invalid TTL value, must be >= 0');
  const { value } = restoreValue(argv[3]!, db.shared.env);
  const now = db.shared.now();
  if (ttl && !absttl) ttl += now;
  // checkAlreadyExpired: not on a replica (the primary sends the DEL)
  if (ttl && ttl <= now && !db.shared.following) {
    if (replace) db.delete(key);
    return c.reply.ok();
  }
  const id = db.setValue(key, value);
  if (ttl) db.setExpire(id, ttl);
  // IDLETIME / FREQ: objectSetLRUOrLFU, as for a key loaded with them
  const h = db.shared.lru;
  if (h && (idle >= 0 || freq >= 0)) db.setLru(id, h.load(freq, idle));
  c.reply.ok();
}
