/** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { compileGlob } from '../rdb/glob.js';
import { argCursor, argInt, is, lower } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const cursor = argCursor(argv[1]!);
  const o = scanOptions(argv, 2, true);
  const db = c.db;
  const ks = db.ks;
  const now = db.shared.now();
  const { ids, next } = ks.scan(cursor, o.count);
  const out: Buffer[] = [];
  for (const id of ids) {
    const at = ks.expireOf(id);
    if (at >= 0 && at <= now) {
      db.removeId(id);
      continue;
    }
    const k = ks.keyOf(id);
    if (o.match && !o.match(k)) continue;
    if (o.type !== null && ks.typeOf(id) !== o.type) continue;
    out.push(Buffer.from(k));
  }
  c.reply.array(2);
  c.reply.bulkStr(String(next));
  c.reply.array(out.length);
  for (const k of out) c.reply.bulk(k);
}

export interface ScanOptions {
  match: ((k: Uint8Array) => boolean) | null;
  count: number;
  type: string | null;
}

/** MATCH / COUNT (/ TYPE) of the SCAN family (scanGenericCommand, db.c) */
export function scanOptions(argv: Buffer[], from: number, allowType: boolean): ScanOptions {
  const o: ScanOptions = { match: null, count: 10, type: null };
  for (let i = from; i < argv.length; i += 2) {
    const left = argv.length - i - 1;
    if (is(argv[i]!, 'COUNT') && left >= 1) {
      o.count = argInt(argv[i + 1]!);
      if (o.count < 1) throw new ReplyError(ERR.SYNTAX);
    } else if (is(argv[i]!, 'MATCH') && left >= 1) {
      const p = argv[i + 1]!;
      o.match = p.length === 1 && p[0] === 0x2a ? null : compileGlob(Buffer.from(p));
    } else if (allowType && is(argv[i]!, 'TYPE') && left >= 1) {
      o.type = lower(argv[i + 1]!);
    } else {
      throw new ReplyError(ERR.SYNTAX);
    }
  }
  return o;
}
