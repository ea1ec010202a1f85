/**
 * What EVAL*, FCALL* and their subcommands share: scriptPrepareForRun's checks, the script's own
 * client context, scriptCall's checks on every redis.call, and handing a run's reply back to the
 * caller now or (past busy-reply-threshold) later.
 */
import { Context, connOf } from './context.js';
import { execute } from './dispatch.js';
import { ReplyError, ERR } from './errors.js';
import { lookupCommand } from './registry.js';
import { ReplyWriter } from '../protocol/encoder.js';
import type { CallHost, Outcome } from '../scripting/index.js';
import { SCRIPT_FLAG_ALLOW_OOM, SCRIPT_FLAG_EVAL_COMPAT_MODE, SCRIPT_FLAG_NO_WRITES } from '../scripting/index.js';
import { argInt } from './_util.js';
import type { CommandSpec } from './spec.js';
import { OOM_ERROR } from '../memory/evict.js';

/** Commands flagged CMD_MAY_REPLICATE in 7.0.15 (hidden from COMMAND INFO): read-only scripts refuse them too */
const MAY_REPLICATE = new Set([
  'publish', 'spublish', 'eval', 'evalsha', 'fcall', 'function|load', 'function|delete', 'function|flush',
  'function|restore', 'script|load', 'script|flush', 'pfcount',
]);

/** numkeys of EVAL/FCALL (evalGenericCommand, fcallCommandGeneric) */
export function numKeys(argv: Buffer[], fcall: boolean): number {
  const n = fcall ? argIntOr(argv[2]!, 'ERR Bad number of keys provided') : argInt(argv[2]!);
  if (n > argv.length - 3) throw new ReplyError("ERR Number of keys can't be greater than number of args");
  if (n < 0) throw new ReplyError("ERR Number of keys can't be negative");
  return n;
}

function argIntOr(b: Buffer, msg: string): number {
  return argInt(b, msg);
}

export interface RunFlags {
  /** SCRIPT_FLAG_* of the script or function */
  scriptFlags: number;
  /** EVAL_RO / EVALSHA_RO / FCALL_RO */
  ro: boolean;
}

/** scriptPrepareForRun's refusals, before anything runs */
export function prepareForRun(c: Context, f: RunFlags): { readOnly: boolean; allowOom: boolean } {
  const compat = (f.scriptFlags & SCRIPT_FLAG_EVAL_COMPAT_MODE) !== 0;
  const inst = c.instance;
  if (!compat) {
    if (!(f.scriptFlags & SCRIPT_FLAG_NO_WRITES)) {
      if (inst.readOnly() && c.caller !== 'primary') throw new ReplyError('READONLY Can not run script with write flag on readonly replica');
      if (f.ro) throw new ReplyError('ERR Can not execute a script with write flag using *_ro command.');
    }
  }
  const readOnly = f.ro || (!compat && (f.scriptFlags & SCRIPT_FLAG_NO_WRITES) !== 0);
  const allowOom = !compat && (f.scriptFlags & SCRIPT_FLAG_ALLOW_OOM) !== 0;
  // a script with flags and neither allow-oom nor no-writes is deny-oom (scriptFlagsToCmdFlags):
  // processCommand refuses it over maxmemory, whatever it would do
  if (!compat && !(f.scriptFlags & (SCRIPT_FLAG_ALLOW_OOM | SCRIPT_FLAG_NO_WRITES)) && oomBeforeCommand(c)) throw new ReplyError(OOM_ERROR);
  return { readOnly, allowOom };
}

/** maxmemory set and exceeded when the caller's command started (server.pre_command_oom_state) */
function oomBeforeCommand(c: Context): boolean {
  return c.caller !== 'primary' && c.instance.eviction.config.maxmemory > 0 && c.instance.scripting.preCommandOomState;
}

/** A script's own client: the caller's db, RESP2 until redis.setresp, replies to a sink of its own. */
export function scriptHost(c: Context, run: { readOnly: boolean; allowOom: boolean }): CallHost {
  const inst = c.instance;
  const sink = new ReplyWriter();
  const sc = new Context(inst, 'script', sink, null);
  sc.dbIndex = c.dbIndex;
  return {
    call(argv, resp) {
      sc.resp = resp;
      sink.resp = resp;
      const spec = scriptCommand(argv);
      const err = scriptCallCheck(spec, argv, run.readOnly);
      if (err !== null) return rejectScriptCall(c, spec, err);
      const running = inst.scripting.engine.running;
      // scriptVerifyOOM: over maxmemory at the start, the first deny-oom call is refused (not once the script wrote)
      if (!run.allowOom && spec!.denyoom === true && !(running?.wrote ?? false) && oomBeforeCommand(c)) return rejectScriptCall(c, spec, OOM_ERROR);
      if (spec!.write && running) running.wrote = true;
      execute(sc, argv);
      return sink.take() ?? Buffer.alloc(0);
    },
    log(level, message) {
      inst.log(`${['.', '-', '*', '#'][level] ?? '*'} ${message.toString('latin1')}`);
    },
  };
}

/** scriptCall's error path: afterErrorReply (the error stats) and the command's rejected_calls */
function rejectScriptCall(c: Context, spec: CommandSpec | undefined, err: string): Buffer {
  const inst = c.instance;
  inst.stats.errorReplies++;
  inst.observe.errorReplied(err);
  if (spec !== undefined) inst.observe.stat(spec.name).rejected++;
  return Buffer.from(`-${err}\r\n`, 'latin1');
}

/** the command (or subcommand) argv names, as lookupCommand finds it */
function scriptCommand(argv: Buffer[]): CommandSpec | undefined {
  const spec = lookupCommand(argv[0]!);
  if (spec === undefined || !spec.subcommands || argv.length < 2) return spec;
  const name = `${spec.name}|${argv[1]!.latin1Slice(0, argv[1]!.length).toLowerCase()}`;
  return spec.subcommands.find((s) => s.name === name) ?? spec;
}

/** scriptCall's checks (script.c): unknown command, arity, noscript, writes from read-only scripts */
function scriptCallCheck(spec: CommandSpec | undefined, argv: Buffer[], readOnly: boolean): string | null {
  if (spec === undefined) return 'ERR Unknown Redis command called from script';
  const n = argv.length;
  if ((spec.arity > 0 && n !== spec.arity) || n < -spec.arity) return 'ERR Wrong number of args calling Redis command from script';
  if (spec.flags.includes('noscript')) return 'ERR This Redis command is not allowed from script';
  if (readOnly && (spec.write || MAY_REPLICATE.has(spec.name))) return 'ERR Write commands are not allowed from read-only scripts.';
  return null;
}

/**
 * Write a run's outcome: its reply now, or — past busy-reply-threshold — later, the client held
 * (its next commands wait) until the script ends.
 */
export function replyOutcome(c: Context, o: Outcome): void {
  if ('reply' in o) {
    const r = o.reply;
    if (r[0] === 0x2d) {
      // an error reply fails the call (failed_calls); the error stats count it unless a failed
      // redis.call's error is passed on, counted when that command failed
      const e = new ReplyError(r.latin1Slice(1, r.length - 2));
      e.noStatsUpdate = o.ignoreErrorStats;
      throw e;
    }
    c.reply.raw(r);
    return;
  }
  connOf(c).suspend(o.pending);
}

/** May a run of this caller go on past busy-reply-threshold? Only a client's own command may. */
export function mayYield(c: Context): boolean {
  return c.caller === 'client' && c.conn !== null;
}

export { ERR };
