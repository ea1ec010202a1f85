/**
 * Running one command (processCommand + call, server.c): find it, check its arity, AUTH,
 * MULTI, read-only and subscribed-mode refusals, queue it inside MULTI, run its handler
 * against the context, and turn a thrown ReplyError or EngineError into the error reply. The
 * reply goes to `c.reply`, whatever sink the caller put there; the result says whether the
 * command succeeded (false: an error reply was written). Each call is counted as call() does
 * (INFO commandstats, errorstats, latencystats, SLOWLOG, LATENCY), fed to MONITOR, and after a
 * top-level command the clients blocked on keys it made ready are served
 * (handleClientsBlockedOnKeys).
 *
 * Used alike by the RESP server's clients, the replica's primary link, MULTI/EXEC and scripts:
 * see docs/architecture.md.
 */
import { performance } from 'node:perf_hooks';
import { EngineError } from '../engine/types/generic.js';
import { BitopsError } from '../engine/bitops.js';
import { DumpPayloadError } from '../engine/dump-payload.js';
import { HllError } from '../engine/hyperloglog.js';
import { SortError } from '../engine/sort.js';
import type { CallerKind, Context } from './context.js';
import type { Session } from './session.js';
import type { ReplySink } from '../protocol/encoder.js';
import type { CommandSpec } from './spec.js';
import { ReplyError, ERR, unknownCommand, wrongArgs, printable } from './errors.js';
import { commandNamed, lookupCommand } from './registry.js';
import { keyspaceEventsOf } from './_keyspace-events.js';
import { addDirty, dirtyOf } from './_dirty.js';
import { getKeysFromCommandWithSpecs } from './COMMAND_GETKEYS.js';
import { discardTransaction } from './_multi.js';

/** what processCommand lets through without queueing inside MULTI */
const TX_CONTROL = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);
/** what a RESP2 connection in subscribed mode may run */
const PUBSUB_ALLOWED = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);
import { EVICT_FAIL } from '../memory/evict.js';
import { ScriptError } from '../scripting/engine.js';

/** Run `argv` (argv[0] the command name) in context `c`; false when its reply is an error. */
export function execute(c: Context, argv: Buffer[]): boolean {
  const w = c.reply;
  const inst = c.instance;
  const stats = inst.stats;
  let spec = lookupCommand(argv[0]!);
  stats.commandsProcessed++;
  const conn = c.conn;
  const session = conn !== null && c.caller === 'client' ? conn.session : null;
  if (spec === undefined) return reject(c, session, null, unknownCommand(argv));
  if (spec.subcommands && argv.length >= 2) {
    const subName = argv[1]!.latin1Slice(0, argv[1]!.length).toLowerCase();
    const sub = spec.subcommands.find((s) => s.name === `${spec!.name}|${subName}`);
    if (!sub) return reject(c, session, null, `ERR unknown subcommand '${printable(argv[1]!, 128)}'. Try ${spec.name.toUpperCase()} HELP.`);
    spec = sub;
  }
  const n = argv.length;
  if ((spec.arity > 0 && n !== spec.arity) || n < -spec.arity) return reject(c, session, spec, wrongArgs(spec.name).message);
  // authRequired (networking.c): not authenticated, and the default user has a password
  if (conn !== null && !conn.authenticated && inst.requirepass !== undefined && !spec.noAuth) return reject(c, session, spec, ERR.NOAUTH);
  const inMulti = session !== null && session.multi !== null;
  if (inMulti && spec.flags.includes('no_multi')) return reject(c, session, spec, 'ERR Command not allowed inside a transaction');
  // maxmemory (processCommand): evict first; what may use memory is refused when nothing could be
  if (inst.eviction.config.maxmemory > 0 && c.caller === 'client') {
    const outOfMemory = inst.performEvictions() === EVICT_FAIL;
    if (outOfMemory && outOfMemoryFor(c, session, spec)) return reject(c, session, spec, OOM);
    // server.pre_command_oom_state: what a script's deny-oom calls are checked against (scriptVerifyOOM)
    inst.scripting.preCommandOomState = outOfMemory;
  }
  if (spec.write && inst.readOnly() && c.caller !== 'primary') return reject(c, session, spec, ERR.READONLY);
  if (session !== null && c.resp === 2 && session.subscriptions > 0 && !PUBSUB_ALLOWED.has(spec.name)) {
    return reject(c, session, spec, `ERR Can't execute '${spec.name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`);
  }
  // server.loading (processCommand): only the commands flagged "loading" while the dump loads
  if (inst.loading && c.caller === 'client' && !spec.flags.includes('loading')) return reject(c, session, spec, ERR.LOADING);
  // a script past busy-reply-threshold: only allow_busy commands (processCommand, server.c)
  const busy = inst.scripting.busy;
  if (busy !== null && c.caller === 'client' && !spec.flags.includes('allow_busy')) {
    return reject(c, session, spec, busy.kind === 'eval' ? ERR.BUSY_EVAL : ERR.BUSY_FUNCTION);
  }
  if (inMulti && !TX_CONTROL.has(spec.name)) {
    // queueMultiCommand: argv are views of the read buffer
    session.multi!.push(argv.map((a) => Buffer.from(a)));
    w.simple('QUEUED');
    return true;
  }
  c.lastCommand = spec.name;
  const mark = w.pos;
  const events = inst.pubsub.notifyFlags !== 0 ? keyspaceEventsOf(spec.name) : undefined;
  const before = events?.pre?.(c, argv);
  const dirty = dirtyOf(spec.name);
  const dirtyPre = dirty?.pre ? dirty.pre(c, argv) : 0;
  const tracking = inst.tracking;
  if (tracking.count > 0 && (c.caller === 'client' || c.caller === 'transaction')) tracking.current = conn;
  const repl = inst.replication;
  // call(): what the command propagates is held until the top-level call ends (also_propagate)
  const topLevel = c.caller === 'client' && repl.active && !repl.inCall;
  if (topLevel) repl.inCall = true;
  const dirtyBefore = inst.dirty;
  const t0 = performance.now();
  let ok = true;
  try {
    spec.handler(c, argv);
  } catch (e) {
    if (topLevel) {
      repl.inCall = false;
      repl.flush();
    }
    if (e instanceof ReplyError || e instanceof EngineError || isAlgoError(e)) {
      w.rewind(mark);
      fail(c, e.message, e instanceof ReplyError && e.noStatsUpdate);
      ok = false;
    } else if (e instanceof ScriptError) {
      // the scripting worker failed on this script (a bug of ours): the caller gets an error, the server goes on
      w.rewind(mark);
      fail(c, `ERR ${e.message.split('\n')[0]}`);
      ok = false;
    } else throw e;
  }
  if (ok && events) events.post(c, argv, before);
  // server.dirty (call()); a blocked command adds when it is served
  if (ok && dirty && (session === null || session.blocked === null)) addDirty(c, dirty, argv, w, mark, dirtyPre);
  // call(): a write that changed the dataset is propagated as it was sent; PUBLISH always
  // (forceCommandPropagation); EXEC and scripts propagate the commands they ran
  if (repl.active && ok && c.caller !== 'primary' && ((spec.write && inst.dirty !== dirtyBefore) || spec.name === 'publish')) {
    repl.alsoPropagate(c.dbIndex, argv);
  }
  if (topLevel) {
    repl.inCall = false;
    repl.flush();
  }
  if (session !== null && session.tracking !== null) afterTrackedCommand(c, session, spec, argv);
  // trackingHandlePendingKeyInvalidations (afterCommand, at the top-level call only)
  if (c.caller === 'client' && tracking.count > 0) {
    tracking.afterCommand(conn);
    tracking.current = null;
  }
  // a blocked command is counted when it is served (updateStatsOnUnblock)
  if (session === null || session.blocked === null) recordCall(c, spec.name, argv, (performance.now() - t0) * 1000, !ok, spec);
  if (inst.monitors.size > 0 && c.caller !== 'primary' && !spec.flags.includes('admin') && !spec.flags.includes('skip_monitor')) feedMonitors(c, argv);
  if ((c.caller === 'client' || c.caller === 'primary') && inst.blocking.hasReady) inst.blocking.serveReady();
  return ok;
}

/** EVAL_RO / EVALSHA_RO / FCALL_RO: their keys are not remembered (the script's reads are) */
const NOT_REMEMBERED = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

/**
 * call()'s tracking step for a connection in CLIENT TRACKING mode: a read-only command's keys
 * are remembered (trackingRememberKeys, honouring OPTIN/OPTOUT and CLIENT CACHING), and the
 * CACHING flag lasts one command or transaction (resetClient).
 */
function afterTrackedCommand(c: Context, session: Session, spec: CommandSpec, argv: Buffer[]): void {
  const t = session.tracking!;
  if (!t.bcast && c.conn !== null && spec.flags.includes('readonly') && !NOT_REMEMBERED.has(spec.name) && !spec.flags.includes('pubsub')) {
    if (!((t.optin && !t.caching) || (t.optout && t.caching))) {
      const keys = getKeysFromCommandWithSpecs(spec, argv);
      if (keys.pos.length > 0) c.instance.tracking.remember(c.conn, keys.pos.map((p) => argv[p]!));
    }
  }
  if (c.caller === 'client' && session.multi === null && !spec.name.startsWith('client')) t.caching = false;
}

const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

/**
 * processCommand's maxmemory check: a command that may grow memory (denyoom; EXEC of a queue
 * holding one; anything queued inside MULTI) is refused while used_memory is above maxmemory.
 * Nothing is evicted here, whatever maxmemory-policy says.
 */
function outOfMemoryFor(c: Context, session: Session | null, spec: CommandSpec): boolean {
  let deny = spec.flags.includes('denyoom');
  if (spec.name === 'exec' && session?.multi) deny = session.multi.some((q) => lookupCommand(q[0]!)?.flags.includes('denyoom') === true);
  else if (session?.multi && !['exec', 'discard', 'quit', 'reset'].includes(spec.name)) deny = true;
  return deny && c.instance.usedMemory() > c.instance.settings.maxmemory;
}

/** the engine algorithms' errors (src/engine/bitops, hyperloglog, sort, dump-payload) carry a reply text */
function isAlgoError(e: unknown): e is Error {
  return e instanceof BitopsError || e instanceof HllError || e instanceof SortError || e instanceof DumpPayloadError;
}

/**
 * rejectCommand: an error before the call. Inside MULTI it flags the transaction
 * (EXECABORT at EXEC); the command's rejected_calls counts it.
 */
function reject(c: Context, session: Session | null, spec: CommandSpec | null, msg: string): false {
  if (spec !== null && c.caller !== 'primary') c.instance.observe.stat(spec.name).rejected++;
  if (session !== null && session.multi !== null) {
    // an EXEC refused ends the transaction (execCommandAbort); anything else flags it
    if (spec?.name === 'exec') {
      discardTransaction(c, session);
      return fail(c, `EXECABORT Transaction discarded because of: ${msg}`);
    }
    session.multiError = true;
  }
  return fail(c, msg);
}

/**
 * An error reply. Counted in INFO's total_error_replies and errorstats, except for the
 * primary's commands (a replica's master client gets no replies, and ours are dropped).
 */
function fail(c: Context, msg: string, noStatsUpdate = false): false {
  if (c.caller !== 'primary' && !noStatsUpdate) {
    c.instance.stats.errorReplies++;
    c.instance.observe.errorReplied(msg);
  }
  c.reply.error(msg);
  return false;
}

/** configs whose values SLOWLOG and MONITOR do not show (SENSITIVE_CONFIG, config.c) */
const SENSITIVE = new Set(['masterauth', 'requirepass', 'tls-key-file-pass', 'tls-client-key-file-pass']);
const REDACTED = Buffer.from('(redacted)');

/** redactClientCommandArgument's cases: AUTH, HELLO AUTH, CONFIG SET of a sensitive config, MIGRATE AUTH/AUTH2 */
function redacted(name: string, argv: readonly Buffer[]): readonly Buffer[] {
  const low = (b: Buffer): string => b.latin1Slice(0, b.length).toLowerCase();
  if (name === 'auth') return argv.map((a, i) => (i === 0 ? a : REDACTED));
  if (name === 'hello') {
    const out = [...argv];
    for (let i = 2; i < out.length; i++) {
      if (low(out[i]!) === 'auth' && i + 2 < out.length) {
        out[i + 1] = REDACTED;
        out[i + 2] = REDACTED;
        i += 2;
      }
    }
    return out;
  }
  if (name === 'config|set') {
    const out = [...argv];
    for (let i = 2; i + 1 < out.length; i += 2) if (SENSITIVE.has(low(out[i]!))) out[i + 1] = REDACTED;
    return out;
  }
  if (name === 'migrate') {
    const out = [...argv];
    for (let i = 6; i < out.length; i++) {
      const a = low(out[i]!);
      if (a === 'auth' && i + 1 < out.length) out[++i] = REDACTED;
      else if (a === 'auth2' && i + 2 < out.length) {
        out[++i] = REDACTED;
        out[++i] = REDACTED;
      }
    }
    return out;
  }
  return argv;
}

/**
 * What call() records of a call that ran (or of a blocked one when it is served): INFO
 * commandstats and latencystats, failed_calls, SLOWLOG (unless the command skips it), and the
 * LATENCY monitor's command / fast-command events.
 */
export function recordCall(c: Context, name: string, argv: readonly Buffer[], usec: number, failed: boolean, spec?: CommandSpec): void {
  if (c.caller === 'primary') return;
  const inst = c.instance;
  const set = inst.settings;
  const obs = inst.observe;
  obs.called(name, usec, set.latencyTracking);
  if (failed) obs.stat(name).failed++;
  const flags = (spec ?? commandNamed(name))?.flags ?? [];
  const whole = Math.floor(usec);
  if (set.slowlogSlowerThan >= 0 && whole >= set.slowlogSlowerThan && !flags.includes('skip_slowlog')) {
    const conn = c.conn;
    obs.slowlog.push([...redacted(name, argv)], whole, conn?.addr ?? '', conn?.name ?? '', set.slowlogMaxLen);
  }
  const ms = Math.floor(usec / 1000);
  if (set.latencyThreshold > 0 && ms >= set.latencyThreshold) obs.latencySample(flags.includes('fast') ? 'fast-command' : 'command', ms);
}

/** sdscatrepr: a quoted, escaped argument */
function repr(b: Buffer): string {
  let s = '"';
  for (const ch of b) {
    if (ch === 0x5c) s += '\\\\';
    else if (ch === 0x22) s += '\\"';
    else if (ch === 0x0a) s += '\\n';
    else if (ch === 0x0d) s += '\\r';
    else if (ch === 0x09) s += '\\t';
    else if (ch === 0x07) s += '\\a';
    else if (ch === 0x08) s += '\\b';
    else if (ch >= 0x20 && ch < 0x7f) s += String.fromCharCode(ch);
    else s += '\\x' + ch.toString(16).padStart(2, '0');
  }
  return s + '"';
}

/** replicationFeedMonitors: `+<sec>.<usec> [<db> <addr>] "arg" ...` to every MONITOR */
function feedMonitors(c: Context, argv: readonly Buffer[]): void {
  const now = performance.timeOrigin + performance.now();
  const sec = Math.floor(now / 1000);
  const usec = Math.floor((now - sec * 1000) * 1000);
  const where = c.caller === 'script' ? 'lua' : (c.conn?.addr ?? '?');
  const name = c.lastCommand;
  let line = `+${sec}.${String(usec).padStart(6, '0')} [${c.dbIndex} ${where}]`;
  for (const a of redacted(name, argv)) line += ' ' + repr(a);
  const bytes = Buffer.from(line + '\r\n', 'latin1');
  for (const m of c.instance.monitors) m.push(bytes);
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
