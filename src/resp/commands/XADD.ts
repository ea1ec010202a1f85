/** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';
import { ReplyError, wrongArgs } from '../errors.js';
import { argInt, is } from './_util.js';
import { fromMaster, parseStrictId as parseTrimId } from './_stream-trim.js';

export function handler(c: Client, argv: Buffer[]): void {
  const a: apply.XaddArgs = { ms: null, seq: null, noMkStream: false, maxlen: -1, minid: null, approx: false, limit: 0 };
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const opt = argv[i]!;
    if (opt.length === 1 && opt[0] === 0x2a) break;
    const isMax = is(opt, 'MAXLEN');
    if ((isMax || is(opt, 'MINID')) && more) {
      if (a.maxlen >= 0 || a.minid) throw new ReplyError('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
      a.approx = false;
      const next = argv[i + 1]!;
      if (more >= 2 && next.length === 1 && next[0] === 0x7e) {
        a.approx = true;
        i++;
      } else if (more >= 2 && next.length === 1 && next[0] === 0x3d) i++;
      if (isMax) {
        const n = argInt(argv[i + 1]!);
        if (n < 0) throw new ReplyError('ERR The MAXLEN argument must be >= 0.');
        a.maxlen = n;
      } else a.minid = parseTrimId(argv[i + 1]!);
      i++;
    } else if (is(opt, 'LIMIT') && more) {
      const n = argInt(argv[i + 1]!);
      if (n < 0) throw new ReplyError('ERR The LIMIT argument must be >= 0.');
      a.limit = n;
      limitGiven = true;
      i++;
    } else if (is(opt, 'NOMKSTREAM')) {
      a.noMkStream = true;
    } else {
      const id = parseStrictId(opt);
      a.ms = id.ms;
      a.seq = id.seq;
      break;
    }
  }
  if (a.limit && a.maxlen < 0 && !a.minid) throw new ReplyError('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
  if (fromMaster(c)) {
    // mustObeyClient: a primary's rewritten trim is applied exactly, without LIMIT
    a.limit = 0;
  } else if (limitGiven) {
    if (!a.approx) throw new ReplyError('ERR syntax error, LIMIT cannot be used without the special ~ option');
  } else if (a.approx) {
    a.limit = c.server.profile.config['stream-node-max-entries'] * 100;
    if (a.limit <= 0 || a.limit > 10000) a.limit = 10000;
  } else a.limit = 0;
  const fieldPos = i + 1;
  if (argv.length - fieldPos < 2 || (argv.length - fieldPos) % 2 === 1) throw wrongArgs('xadd');
  if (a.ms === 0 && a.seq === 0) throw new ReplyError('ERR The ID specified in XADD must be greater than 0-0');
  const id = apply.streamAdd(c.db, argv[1]!, a, argv.slice(fieldPos));
  if (id === null) c.w.nullBulk();
  else c.w.bulkStr(id);
}

/** streamParseStrictIDOrReply: "ms", "ms-seq", "ms-*" (seq null) */
function parseStrictId(b: Buffer): { ms: number; seq: number | null } {
  const m = /^(\d+)(?:-(\d+|\*))?$/.exec(b.toString('latin1'));
  if (!m) throw new ReplyError('ERR Invalid stream ID specified as stream command argument');
  const ms = Number(m[1]);
  if (m[2] === '*') return { ms, seq: null };
  return { ms, seq: m[2] === undefined ? 0 : Number(m[2]) };
}
