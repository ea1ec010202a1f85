/**
 * XINFO STREAM key [FULL [COUNT count]] (xinfoReplyWithStreamInfo, t_stream.c 7.0): the
 * stream's counters with its first and last entry, or (FULL) its entries and every group with
 * its PEL and consumers, COUNT (default 10, 0: all) entries of each list.
 */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { argInt, is, readTyped } from './_util.js';
import { ERR } from './errors.js';
import { writeEntry } from './XRANGE.js';
import type { StreamValue } from '../engine/types/stream.js';
import { idString, replyCGLag, replyEntriesRead } from './_stream-groups.js';

/** addReplySubcommandSyntaxError of XINFO */
function syntax(argv: Buffer[]): ReplyError {
  return new ReplyError(`ERR unknown subcommand or wrong number of arguments for '${argv[1]!.latin1Slice(0, Math.min(128, argv[1]!.length))}'. Try XINFO HELP.`);
}

export function handler(c: Context, argv: Buffer[]): void {
  const v = readTyped(c, argv[2]!, 'stream');
  if (v === null) throw new ReplyError(ERR.NOKEY);
  const optc = argv.length - 3;
  let full = false;
  let count = 10;
  if (optc > 0) {
    if (optc !== 1 && optc !== 3) throw syntax(argv);
    if (!is(argv[3]!, 'FULL')) throw syntax(argv);
    if (optc === 3) {
      if (!is(argv[4]!, 'COUNT')) throw syntax(argv);
      count = argInt(argv[5]!);
      if (count < 0) count = 10;
    }
    full = true;
  }
  const w = c.reply;
  w.map(full ? 9 : 10);
  w.bulkStr('length');
  w.int(v.length);
  w.bulkStr('radix-tree-keys');
  w.int(v.mem.nodes.length);
  w.bulkStr('radix-tree-nodes');
  w.int(v.mem.radixTreeNodes);
  w.bulkStr('last-generated-id');
  w.bulkStr(idString(v.last));
  w.bulkStr('max-deleted-entry-id');
  w.bulkStr(idString(v.maxDeleted));
  w.bulkStr('entries-added');
  w.int(v.entriesAdded);
  w.bulkStr('recorded-first-entry-id');
  w.bulkStr(idString(v.first));
  if (!full) {
    w.bulkStr('groups');
    w.int(v.groups.length);
    w.bulkStr('first-entry');
    const first = v.entry(0);
    if (first) writeEntry(c, first);
    else w.nullBulk();
    w.bulkStr('last-entry');
    const last = v.entry(v.length - 1);
    if (last) writeEntry(c, last);
    else w.nullBulk();
    return;
  }
  replyFull(c, v, count);
}

function replyFull(c: Context, v: StreamValue, count: number): void {
  const w = c.reply;
  const upTo = (n: number): number => (count > 0 ? Math.min(count, n) : n);
  w.bulkStr('entries');
  const ne = upTo(v.length);
  w.array(ne);
  for (let i = 0; i < ne; i++) writeEntry(c, v.entry(i)!);
  w.bulkStr('groups');
  w.array(v.groups.length);
  for (const cg of v.groups) {
    w.map(7);
    w.bulkStr('name');
    w.bulk(cg.name);
    w.bulkStr('last-delivered-id');
    w.bulkStr(idString(cg.lastId));
    w.bulkStr('entries-read');
    replyEntriesRead(c, cg);
    w.bulkStr('lag');
    replyCGLag(c, v, cg);
    w.bulkStr('pel-count');
    w.int(cg.pel.size);
    w.bulkStr('pending');
    const np = upTo(cg.pel.size);
    w.array(np);
    for (let i = 0; i < np; i++) {
      const n = cg.pel.items[i]!;
      w.array(4);
      w.bulkStr(idString(n));
      w.bulk(n.consumer!.name);
      w.int(n.deliveryTime);
      w.int(n.deliveryCount);
    }
    w.bulkStr('consumers');
    w.array(cg.consumers.length);
    for (const con of cg.consumers) {
      w.map(4);
      w.bulkStr('name');
      w.bulk(con.name);
      w.bulkStr('seen-time');
      w.int(con.seenTime);
      w.bulkStr('pel-count');
      w.int(con.pel.size);
      w.bulkStr('pending');
      const nc = upTo(con.pel.size);
      w.array(nc);
      for (let i = 0; i < nc; i++) {
        const n = con.pel.items[i]!;
        w.array(3);
        w.bulkStr(idString(n));
        w.int(n.deliveryTime);
        w.int(n.deliveryCount);
      }
    }
  }
}
