/** XINFO STREAM key */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { readTyped } from './_util.js';
import { writeEntry } from './XRANGE.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length > 3) throw new ReplyError(ERR.SYNTAX);
  const v = readTyped(c, argv[2]!, 'stream');
  if (v === null) throw new ReplyError(ERR.NOKEY);
  const w = c.reply;
  const id = (x: { ms: number; seq: number }): void => w.bulkStr(`${x.ms}-${x.seq}`);
  w.map(10);
  w.bulkStr('length');
  w.int(v.length);
  w.bulkStr('radix-tree-keys');
  w.int(v.mem.nodes.length);
  w.bulkStr('radix-tree-nodes');
  w.int(v.mem.radixTreeNodes);
  w.bulkStr('last-generated-id');
  id(v.last);
  w.bulkStr('max-deleted-entry-id');
  id(v.maxDeleted);
  w.bulkStr('entries-added');
  w.int(v.entriesAdded);
  w.bulkStr('recorded-first-entry-id');
  id(v.first);
  w.bulkStr('groups');
  w.int(v.groups.length);
  w.bulkStr('first-entry');
  const first = v.entry(0);
  if (first) writeEntry(c, first);
  else w.nullArray();
  w.bulkStr('last-entry');
  const last = v.entry(v.length - 1);
  if (last) writeEntry(c, last);
  else w.nullArray();
}
