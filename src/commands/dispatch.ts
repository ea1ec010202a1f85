/**
 * Running one command (processCommand + call, server.c): find it, check its arity, AUTH and
 * read-only refusals, run its handler against the context, and turn a thrown ReplyError or
 * EngineError into the error reply. The reply goes to `c.reply`, whatever sink the caller put
 * there; the result says whether the command succeeded (false: an error reply was written).
 *
 * Used alike by the RESP server's clients, the replica's primary link, and (to come) MULTI/EXEC
 * and scripts: see docs/architecture.md.
 */
import { EngineError } from '../engine/apply.js';
import { BitopsError } from '../engine/bitops.js';
import { DumpPayloadError } from '../engine/dump-payload.js';
import { HllError } from '../engine/hyperloglog.js';
import { SortError } from '../engine/sort.js';
import type { CallerKind, Context } from './context.js';
import type { ReplySink } from '../protocol/encoder.js';
import { ReplyError, ERR, unknownCommand, wrongArgs, printable } from './errors.js';
import { lookupCommand } from './registry.js';

/** Run `argv` (argv[0] the command name) in context `c`; false when its reply is an error. */
export function execute(c: Context, argv: Buffer[]): boolean {
  const w = c.reply;
  const inst = c.instance;
  const stats = inst.stats;
  let spec = lookupCommand(argv[0]!);
  stats.commandsProcessed++;
  if (spec === undefined) return fail(c, unknownCommand(argv));
  if (spec.subcommands && argv.length >= 2) {
    const subName = argv[1]!.latin1Slice(0, argv[1]!.length).toLowerCase();
    const sub = spec.subcommands.find((s) => s.name === `${spec!.name}|${subName}`);
    if (!sub) return fail(c, `ERR unknown subcommand '${printable(argv[1]!, 128)}'. Try ${spec.name.toUpperCase()} HELP.`);
    spec = sub;
  }
  const n = argv.length;
  if ((spec.arity > 0 && n !== spec.arity) || n < -spec.arity) return fail(c, wrongArgs(spec.name).message);
  const conn = c.conn;
  if (conn !== null && !conn.authenticated && !spec.noAuth) return fail(c, ERR.NOAUTH);
  if (spec.write && inst.readOnly() && c.caller !== 'primary') return fail(c, ERR.READONLY);
  // a script past busy-reply-threshold: only allow_busy commands (processCommand, server.c)
  const busy = inst.scripting.busy;
  if (busy !== null && c.caller === 'client' && !spec.flags.includes('allow_busy')) {
    return fail(c, busy.kind === 'eval' ? ERR.BUSY_EVAL : ERR.BUSY_FUNCTION);
  }
  c.lastCommand = spec.name;
  const mark = w.pos;
  try {
    spec.handler(c, argv);
  } catch (e) {
    if (e instanceof ReplyError || e instanceof EngineError || isAlgoError(e)) {
      w.rewind(mark);
      return fail(c, e.message);
    }
    throw e;
  }
  return true;
}

/** the engine algorithms' errors (src/engine/bitops, hyperloglog, sort, dump-payload) carry a reply text */
function isAlgoError(e: unknown): e is Error {
  return e instanceof BitopsError || e instanceof HllError || e instanceof SortError || e instanceof DumpPayloadError;
}

/**
 * An error reply. Counted in INFO's total_error_replies, except for the primary's commands
 * (a replica's master client gets no replies, and ours are dropped).
 */
function fail(c: Context, msg: string): false {
  if (c.caller !== 'primary') c.instance.stats.errorReplies++;
  c.reply.error(msg);
  return false;
}

/**
 * Run one command with its reply going to `sink` instead of `c.reply`, as `caller`, then put
 * both back. What EXEC does with its queue (its array header, then each queued command into
 * the client's own sink, as 'transaction'), and what a script's redis.call does (a sink of its
 * own, as 'script', read back with ReplyWriter.take() and decoded). The context's db and
 * protocol stay shared: a SELECT inside a transaction stays selected, as in Redis.
 */
export function executeInto(c: Context, argv: Buffer[], sink: ReplySink, caller: CallerKind = c.caller): boolean {
  const reply = c.reply;
  const was = c.caller;
  const resp = sink.resp;
  c.reply = sink;
  c.caller = caller;
  sink.resp = c.resp;
  try {
    return execute(c, argv);
  } finally {
    c.reply = reply;
    c.caller = was;
    if (sink !== reply) sink.resp = resp;
  }
}
