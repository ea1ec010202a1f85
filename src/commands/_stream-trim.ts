/**
 * The arguments of XADD and XTRIM, parsed by one loop as Redis does (streamParseAddOrTrimArgsOrReply,
 * t_stream.c 7.0): MAXLEN|MINID [=|~] threshold [LIMIT count]; with `xadd` also NOMKSTREAM, and the
 * loop stops at the entry ID ('*' or an explicit one). A command applied from a primary's replication
 * stream (`fromMaster` on the client) is trimmed without LIMIT, as mustObeyClient does.
 */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { argInt, is } from './_util.js';
import type { StreamId } from '../engine/types/stream.js';
import { parseStreamId } from './_stream-groups.js';

export interface TrimArgs {
  strategy: 'none' | 'maxlen' | 'minid';
  maxlen: number;
  minid: StreamId;
  approx: boolean;
  limit: number;
  /** index of the first argument the loop did not take: XADD's ID ('*' or explicit), or argv.length */
  next: number;
}

export interface AddArgs extends TrimArgs {
  noMkStream: boolean;
  /** the explicit ID XADD stopped at (seq null: "ms-*"); null for '*' or when the arguments ran out */
  id: { ms: number; seq: number | null } | null;
}

/** streamParseStrictIDOrReply without '*': "ms" or "ms-seq" (64-bit unsigned parts) */
export function parseStrictId(b: Buffer): StreamId {
  return parseStreamId(b, true);
}

/** XADD's explicit ID (streamParseStrictIDOrReply with seq_given): "ms", "ms-seq", "ms-*" (seq null) */
function parseAddId(b: Buffer): { ms: number; seq: number | null } {
  if (b.length >= 3 && b[b.length - 1] === 0x2a && b[b.length - 2] === 0x2d) {
    const ms = parseStreamId(b.subarray(0, b.length - 2), true);
    if (b.indexOf(0x2d) !== b.length - 2) throw new ReplyError('ERR Invalid stream ID specified as stream command argument');
    return { ms: ms.ms, seq: null };
  }
  return parseStreamId(b, true);
}

/** whether the client applies a primary's stream (mustObeyClient, server.c) */
export function fromMaster(c: Context): boolean {
  return c.caller === 'primary';
}

/** XADD's arguments from argv[2] on, up to its ID (`next`; the fields follow it) */
export function parseAddArgs(c: Context, argv: Buffer[], from: number): AddArgs {
  return parseAddOrTrimArgs(c, argv, from, true);
}

/** XTRIM's arguments from argv[2] on */
export function parseTrimArgs(c: Context, argv: Buffer[], from: number): TrimArgs {
  return parseAddOrTrimArgs(c, argv, from, false);
}

/** streamParseAddOrTrimArgsOrReply: the first failing check throws its reply, in Redis's order */
function parseAddOrTrimArgs(c: Context, argv: Buffer[], from: number, xadd: boolean): AddArgs {
  const a: AddArgs = { strategy: 'none', maxlen: 0, minid: { ms: 0, seq: 0 }, approx: false, limit: 0, next: from, noMkStream: false, id: null };
  let limitGiven = false;
  let i = from;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const opt = argv[i]!;
    if (xadd && opt.length === 1 && opt[0] === 0x2a) break; // '*': the common auto-ID case
    const isMax = is(opt, 'MAXLEN');
    if ((isMax || is(opt, 'MINID')) && more) {
      if (a.strategy !== 'none') throw new ReplyError('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
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
        a.strategy = 'maxlen';
      } else {
        a.minid = parseStrictId(argv[i + 1]!);
        a.strategy = 'minid';
      }
      i++;
    } else if (is(opt, 'LIMIT') && more) {
      const n = argInt(argv[i + 1]!);
      if (n < 0) throw new ReplyError('ERR The LIMIT argument must be >= 0.');
      a.limit = n;
      limitGiven = true;
      i++;
    } else if (xadd && is(opt, 'NOMKSTREAM')) {
      a.noMkStream = true;
    } else if (xadd) {
      a.id = parseAddId(opt); // a valid ID or a syntax error, worded as an invalid ID
      break;
    } else throw new ReplyError(ERR.SYNTAX); // XTRIM: any other word, where it stands
  }
  a.next = i;
  if (a.limit && a.strategy === 'none') throw new ReplyError('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
  if (!xadd && a.strategy === 'none') throw new ReplyError('ERR syntax error, XTRIM must be called with a trimming strategy');
  if (fromMaster(c)) a.limit = 0; // a primary's rewritten trim is applied exactly
  else if (limitGiven) {
    if (!a.approx) throw new ReplyError('ERR syntax error, LIMIT cannot be used without the special ~ option');
  } else if (a.approx) {
    a.limit = 100 * c.instance.profile.config['stream-node-max-entries'];
    if (a.limit <= 0 || a.limit > 10000) a.limit = 10000;
  } else a.limit = 0;
  return a;
}
