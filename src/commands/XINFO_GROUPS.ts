/** XINFO GROUPS key (xinfoCommand, t_stream.c 7.0): per group its consumers, pending, last ID, entries read and lag */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { readTyped } from './_util.js';
import { idString, replyCGLag, replyEntriesRead } from './_stream-groups.js';

export function handler(c: Context, argv: Buffer[]): void {
  const s = readTyped(c, argv[2]!, 'stream');
  if (s === null) throw new ReplyError(ERR.NOKEY);
  const w = c.reply;
  w.array(s.groups.length);
  for (const cg of s.groups) {
    w.map(6);
    w.bulkStr('name');
    w.bulk(cg.name);
    w.bulkStr('consumers');
    w.int(cg.consumers.length);
    w.bulkStr('pending');
    w.int(cg.pel.size);
    w.bulkStr('last-delivered-id');
    w.bulkStr(idString(cg.lastId));
    w.bulkStr('entries-read');
    replyEntriesRead(c, cg);
    w.bulkStr('lag');
    replyCGLag(c, s, cg);
  }
}
