/**
 * Blocking commands' side of blocked.c (7.0): parse a timeout, decide whether a call may block,
 * and block the calling connection on keys until a write makes one of them ready, the timeout
 * passes, CLIENT UNBLOCK, or the connection goes away. The data side (who waits on what, the
 * ready keys, FIFO serving after each command) is src/instance/blocking.ts; the connection
 * holds its next commands meanwhile (Connection.suspend). See docs/blocking.md.
 */
import { performance } from 'node:perf_hooks';
import { connOf, type Context } from './context.js';
import { ReplyError } from './errors.js';
import { EngineError } from '../engine/types/generic.js';
import { ReplyWriter } from '../protocol/encoder.js';
import { parseLongLong } from '../protocol/decoder.js';
import type { BlockedWaiter } from '../instance/blocking.js';
import { recordCall } from './dispatch.js';
import { addDirty, dirtyOfServed } from './_dirty.js';

/** string2ld's grammar: strtold over the whole argument (no spaces, no NaN; inf and hex floats allowed) */
const LONG_DOUBLE = /^[+-]?((\d+\.?\d*|\.\d+)(e[+-]?\d+)?|inf|infinity)$/i;
const HEX_DOUBLE = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i;

/** strtold of a hexadecimal float (0x10, 0x1.8p3), or null */
function hexDouble(s: string): number | null {
  const m = HEX_DOUBLE.exec(s);
  if (!m || (m[2]! === '' && (m[3] ?? '') === '')) return null;
  let v = m[2] ? parseInt(m[2], 16) : 0;
  const frac = m[3] ?? '';
  for (let i = 0; i < frac.length; i++) v += parseInt(frac[i]!, 16) / 16 ** (i + 1);
  const e = m[4] ? Number(m[4]) : 0;
  return (m[1] === '-' ? -1 : 1) * v * 2 ** e;
}

/**
 * getTimeoutFromObjectOrReply (timeout.c): the timeout argument in ms from now, 0 = forever.
 * Seconds are a float ("timeout is not a float or out of range"), milliseconds an integer
 * ("timeout is not an integer or out of range"); below zero: "timeout is negative".
 */
export function parseTimeout(arg: Buffer, unit: 'seconds' | 'milliseconds' = 'seconds'): number {
  let ms: number;
  if (unit === 'seconds') {
    const s = arg.latin1Slice(0, arg.length);
    const hex = hexDouble(s);
    if (hex === null && !LONG_DOUBLE.test(s)) throw new ReplyError('ERR timeout is not a float or out of range');
    const v = hex ?? Number(/inf/i.test(s) ? (s.startsWith('-') ? -Infinity : Infinity) : s);
    ms = Math.ceil(v * 1000);
    // ceill(x * 1000) cast to long long: out of its range is undefined in C, LLONG_MIN on x86
    if (!Number.isFinite(ms) || Math.abs(ms) >= 2 ** 63) ms = -1;
  } else {
    const v = parseLongLong(arg, 0, arg.length);
    if (v === null) throw new ReplyError('ERR timeout is not an integer or out of range');
    ms = v;
  }
  if (ms < 0) throw new ReplyError('ERR timeout is negative');
  return ms;
}

/**
 * Whether this call may block: not inside MULTI/EXEC (CLIENT_DENY_BLOCKING), a script, the
 * primary's stream, or without a connection. Where it may not, a blocking command answers as
 * if its timeout had passed at once.
 */
export function mayBlock(c: Context): boolean {
  return c.caller === 'client' && c.conn !== null;
}

export interface BlockOptions {
  /** the keys, in the db selected now */
  keys: readonly Buffer[];
  /** ms from now (parseTimeout), 0 = forever */
  timeout: number;
  /** the command's argv (SLOWLOG and INFO commandstats count the call when it is served) */
  argv: readonly Buffer[];
  /**
   * A write touched `key`: write the reply to `c.reply` and return true when the key now lets
   * the client be served, false to keep waiting. Runs with the blocked client's context (its
   * db selected). A thrown ReplyError becomes the reply (and unblocks).
   */
  serve(c: Context, key: Buffer): boolean;
  /** the reply on timeout and CLIENT UNBLOCK TIMEOUT (default: a null array, as for lists, zsets and streams) */
  timedOut?(c: Context): void;
}

/**
 * blockForKeys: the calling connection waits. The handler returns without writing a reply;
 * the reply is written when the client is served, times out, or is unblocked.
 */
export function blockForKeys(c: Context, o: BlockOptions): void {
  const conn = connOf(c);
  const session = conn.session;
  const inst = c.instance;
  const db = c.dbIndex;
  const keys = [...new Set(o.keys.map((k) => k.latin1Slice(0, k.length)))];
  const argv = o.argv.map((a) => Buffer.from(a));
  const name = c.lastCommand;
  let settle!: (b: Buffer) => void;
  const reply = new Promise<Buffer>((resolve) => (settle = resolve));
  let timer: NodeJS.Timeout | null = null;
  let done = false;

  /** run `write` into a sink of the client's own and hand its bytes over */
  const answer = (write: (c: Context) => boolean): boolean => {
    const sink = new ReplyWriter();
    sink.resp = c.resp;
    const saved = c.reply;
    const savedDb = c.dbIndex;
    c.reply = sink;
    c.dbIndex = db;
    let failed = false;
    const t0 = performance.now();
    try {
      if (!write(c)) return false;
    } catch (e) {
      if (!(e instanceof ReplyError || e instanceof EngineError)) throw e;
      sink.rewind(0);
      sink.error(e.message);
      // total_error_replies is counted by the connection when it sends the reply
      inst.observe.errorReplied(e.message);
      failed = true;
    } finally {
      c.reply = saved;
      c.dbIndex = savedDb;
    }
    finish();
    const dirty = dirtyOfServed(name);
    if (dirty && !failed) addDirty(c, dirty, argv, sink, 0, 0);
    recordCall(c, name, argv, (performance.now() - t0) * 1000, failed);
    settle(sink.take() ?? Buffer.alloc(0));
    return true;
  };

  const finish = (): void => {
    done = true;
    if (timer) clearTimeout(timer);
    timer = null;
    inst.blocking.remove(waiter);
    session.blocked = null;
    inst.syncKeyHooks();
  };

  const timedOut = (cc: Context): boolean => {
    if (o.timedOut) o.timedOut(cc);
    else cc.reply.nullArray();
    return true;
  };

  const waiter: BlockedWaiter = {
    db,
    keys,
    timed: o.timeout > 0,
    serve: (key) => !done && answer((cc) => o.serve(cc, key)),
  };
  inst.blocking.add(waiter);
  inst.counters.totalBlockingKeys += keys.length;
  inst.syncKeyHooks();
  session.blocked = {
    waiter,
    command: name,
    unblock: (withError) => {
      if (done) return;
      answer((cc) => {
        if (withError) throw new ReplyError('UNBLOCKED client unblocked via CLIENT UNBLOCK');
        return timedOut(cc);
      });
    },
    cancel: () => {
      if (!done) finish();
    },
  };
  if (o.timeout > 0) {
    timer = setTimeout(() => {
      if (!done) answer(timedOut);
    }, o.timeout);
    timer.unref();
  }
  conn.suspend(reply);
}
