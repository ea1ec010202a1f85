/** SORT and SORT_RO (sortCommandGeneric, sort.c 7.0) over src/engine/sort.ts */
import type { Context } from './context.js';
import { parseSortArgs, sortRows, type SortLookup, type SortSource } from '../engine/sort.js';
import { walk } from '../engine/types/set.js';
import { bytesOf, type LiveValue } from '../engine/types/generic.js';
import { ListValue } from '../engine/types/list.js';
import type { HashValue } from '../engine/types/hash.js';
import type { StringValue } from '../engine/types/string.js';
import type { ZsetValue } from '../engine/types/zset.js';
import { ReplyError, ERR } from './errors.js';
import { lookupRead } from './_util.js';

export function sortGeneric(c: Context, argv: Buffer[], readonly: boolean): void {
  const spec = parseSortArgs(argv.slice(2), readonly, false);
  const db = c.db;
  const id = lookupRead(c, argv[1]!);
  let source: SortSource | null = null;
  if (id >= 0) {
    const t = db.typeOf(id);
    if (t !== 'list' && t !== 'set' && t !== 'zset') throw new ReplyError(ERR.WRONGTYPE);
    source = sourceOf(db.value(id)!);
  }
  const lookup: SortLookup = (key) => {
    const kid = db.find(key);
    if (kid < 0) return null;
    const v = db.value(kid);
    if (v === null) return null;
    if (v.type === 'string') return { type: 'string', value: (v as StringValue).buf };
    if (v.type === 'hash') {
      const h = v as HashValue;
      return { type: 'hash', field: (name) => h.get(name) };
    }
    return { type: 'other' };
  };
  const r = sortRows(spec, source, lookup, c.caller === 'script');
  if (r.kind === 'rows') {
    c.reply.array(r.rows.length);
    for (const row of r.rows) {
      if (row === null) c.reply.nullBulk();
      else c.reply.bulk(row);
    }
    return;
  }
  // STORE: an RPUSHed list replaces the destination (setKey), or the destination is deleted
  const dst = spec.store!;
  if (r.rows.length > 0) {
    const list = new ListValue(db.shared.env);
    list.push(true, r.rows.map((b) => Buffer.from(b)));
    db.setValue(dst, list);
  } else db.delete(dst);
  c.reply.int(r.rows.length);
}

function sourceOf(v: LiveValue): SortSource {
  if (v.type === 'list') return { type: 'list', elements: [...(v as ListValue).items] };
  if (v.type === 'set') return { type: 'set', elements: walk(v).map(bytesOf) };
  return { type: 'zset', elements: (v as ZsetValue).order.map(bytesOf) };
}
