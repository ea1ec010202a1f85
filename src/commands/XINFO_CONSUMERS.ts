/** XINFO CONSUMERS key group (xinfoCommand, t_stream.c 7.0): per consumer its pending count and idle time */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { readTyped } from './_util.js';
import { streamLookupCG } from '../engine/types/stream-cgroups.js';
import { noSuchGroupForKey } from './_stream-groups.js';

export function handler(c: Context, argv: Buffer[]): void {
  const s = readTyped(c, argv[2]!, 'stream');
  if (s === null) throw new ReplyError(ERR.NOKEY);
  const cg = streamLookupCG(s.groups, argv[3]!);
  if (!cg) throw noSuchGroupForKey(argv[3]!, argv[2]!);
  const now = c.db.shared.now();
  const w = c.reply;
  w.array(cg.consumers.length);
  for (const con of cg.consumers) {
    w.map(3);
    w.bulkStr('name');
    w.bulk(con.name);
    w.bulkStr('pending');
    w.int(con.pel.size);
    w.bulkStr('idle');
    w.int(Math.max(0, now - con.seenTime));
  }
}
