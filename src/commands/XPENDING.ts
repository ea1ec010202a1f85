/**
 * XPENDING key group [[IDLE min-idle-time] start end count [consumer]] (xpendingCommand,
 * t_stream.c 7.0): the summary (count, first and last ID, consumers with pending entries) or
 * the entries in the range with their owner, idle time and delivery count.
 */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { argInt, is } from './_util.js';
import { streamLookupCG, streamLookupConsumer } from '../engine/types/stream-cgroups.js';
import { cmpId } from '../engine/types/stream.js';
import { groupStream, ID_MAX, idString, noGroup, parseIntervalId, streamDecrID, streamIncrID } from './_stream-groups.js';

export function handler(c: Context, argv: Buffer[]): void {
  const argc = argv.length;
  const justinfo = argc === 3;
  if (argc !== 3 && (argc < 6 || argc > 9)) throw new ReplyError(ERR.SYNTAX);
  let minidle = 0;
  let count = 0;
  let start = { ms: 0, seq: 0 };
  let end = { ms: 0, seq: 0 };
  let consumerName: Buffer | null = null;
  if (argc >= 6) {
    let startidx = 3;
    if (is(argv[3]!, 'IDLE')) {
      minidle = argInt(argv[4]!);
      if (argc < 8) throw new ReplyError(ERR.SYNTAX);
      startidx += 2;
    }
    count = argInt(argv[startidx + 2]!);
    if (count < 0) count = 0;
    const s = parseIntervalId(argv[startidx]!, 0);
    start = s.id;
    if (s.excluded && !streamIncrID(start)) throw new ReplyError('ERR invalid start ID for the interval');
    const e = parseIntervalId(argv[startidx + 1]!, ID_MAX);
    end = e.id;
    if (e.excluded && !streamDecrID(end)) throw new ReplyError('ERR invalid end ID for the interval');
    if (startidx + 3 < argc) consumerName = argv[startidx + 3]!;
  }
  const gs = groupStream(c, argv[1]!, true);
  const cg = gs ? streamLookupCG(gs.s.groups, argv[2]!) : undefined;
  if (!gs || !cg) throw noGroup(argv[1]!, argv[2]!);
  const w = c.reply;
  if (justinfo) {
    w.array(4);
    const items = cg.pel.items;
    w.int(items.length);
    if (items.length === 0) {
      w.nullBulk();
      w.nullBulk();
      w.nullArray();
      return;
    }
    w.bulkStr(idString(items[0]!));
    w.bulkStr(idString(items[items.length - 1]!));
    let n = 0;
    for (const con of cg.consumers) if (con.pel.size) n++;
    w.array(n);
    for (const con of cg.consumers) {
      if (!con.pel.size) continue;
      w.array(2);
      w.bulk(con.name);
      w.bulkStr(String(con.pel.size));
    }
    return;
  }
  let pel = cg.pel;
  if (consumerName) {
    const con = streamLookupConsumer(cg, consumerName, 0, true);
    if (!con) return w.array(0);
    pel = con.pel;
  }
  const now = c.db.shared.now();
  const out = [];
  for (let i = pel.lowerBound(start.ms, start.seq); count && i < pel.items.length; i++) {
    const n = pel.items[i]!;
    if (cmpId(n.ms, n.seq, end.ms, end.seq) > 0) break;
    if (minidle && now - n.deliveryTime < minidle) continue;
    out.push(n);
    count--;
  }
  w.array(out.length);
  for (const n of out) {
    w.array(4);
    w.bulkStr(idString(n));
    w.bulk(n.consumer!.name);
    w.int(Math.max(0, now - n.deliveryTime));
    w.int(n.deliveryCount);
  }
}
