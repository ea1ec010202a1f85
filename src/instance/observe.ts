/**
 * What a server records about the commands it runs: INFO commandstats (calls, usec, rejected
 * and failed calls per command), errorstats (error replies per code), latencystats (a latency
 * histogram per command, read at latency-tracking-info-percentiles), the SLOWLOG and the
 * LATENCY monitor's event series (server.c call(), slowlog.c, latency.c, 7.0).
 */

export interface CommandStat {
  calls: number;
  usec: number;
  rejected: number;
  failed: number;
  /** log-bucketed latencies in ns: lowest value of a bucket -> count */
  hist: Map<number, number> | null;
  histCount: number;
}

/**
 * A bucket of an HDR histogram of 2 significant figures (Redis's latency histograms): values
 * below 256 exactly, above that with 128 sub-buckets per power of two.
 */
function bucketOf(v: number): number {
  if (v < 256) return v;
  const e = Math.floor(Math.log2(v)) - 7;
  return Math.floor(v / 2 ** e) * 2 ** e;
}
function bucketHigh(b: number): number {
  if (b < 256) return b;
  const e = Math.floor(Math.log2(b)) - 7;
  return b + 2 ** e - 1;
}

/** hdr_value_at_percentile over a bucketed histogram */
export function valueAtPercentile(s: CommandStat, p: number): number {
  if (!s.hist || s.histCount === 0) return 0;
  const keys = [...s.hist.keys()].sort((a, b) => a - b);
  const want = Math.max(1, Math.ceil((Math.min(p, 100) / 100) * s.histCount));
  let acc = 0;
  for (const k of keys) {
    acc += s.hist.get(k)!;
    if (acc >= want) return bucketHigh(k);
  }
  return bucketHigh(keys[keys.length - 1]!);
}

export interface SlowlogEntry {
  id: number;
  time: number;
  usec: number;
  argv: Buffer[];
  peer: string;
  name: string;
}

const SLOWLOG_MAX_ARGC = 32;
const SLOWLOG_MAX_STRING = 128;

export class Slowlog {
  entries: SlowlogEntry[] = [];
  nextId = 0;

  /** slowlogCreateEntry's trimming: 32 arguments, 128 bytes each */
  push(argv: Buffer[], usec: number, peer: string, name: string, maxLen: number): void {
    const n = Math.min(argv.length, SLOWLOG_MAX_ARGC);
    const out: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      if (n !== argv.length && i === n - 1) {
        out.push(Buffer.from(`... (${argv.length - SLOWLOG_MAX_ARGC + 1} more arguments)`));
        break;
      }
      const a = argv[i]!;
      if (a.length > SLOWLOG_MAX_STRING) out.push(Buffer.concat([a.subarray(0, SLOWLOG_MAX_STRING), Buffer.from(`... (${a.length - SLOWLOG_MAX_STRING} more bytes)`)]));
      else out.push(Buffer.from(a));
    }
    this.entries.unshift({ id: this.nextId++, time: Math.floor(Date.now() / 1000), usec, argv: out, peer, name });
    this.trim(maxLen);
  }

  trim(maxLen: number): void {
    if (this.entries.length > maxLen) this.entries.length = Math.max(0, maxLen);
  }
}

export interface LatencySample {
  time: number;
  latency: number;
}

/** latencyTimeSeries */
export interface LatencySeries {
  samples: LatencySample[];
  max: number;
}

const LATENCY_TS_LEN = 160;

export class Observe {
  readonly commands = new Map<string, CommandStat>();
  readonly errors = new Map<string, number>();
  readonly slowlog = new Slowlog();
  readonly latency = new Map<string, LatencySeries>();

  stat(name: string): CommandStat {
    let s = this.commands.get(name);
    if (!s) this.commands.set(name, (s = { calls: 0, usec: 0, rejected: 0, failed: 0, hist: null, histCount: 0 }));
    return s;
  }

  /** a call that ran (call() in server.c): its duration in µs (fractional) */
  called(name: string, usec: number, tracking: boolean): void {
    const s = this.stat(name);
    s.calls++;
    s.usec += usec;
    if (tracking) {
      const ns = Math.max(1, Math.round(usec * 1000));
      if (!s.hist) s.hist = new Map();
      const b = bucketOf(ns);
      s.hist.set(b, (s.hist.get(b) ?? 0) + 1);
      s.histCount++;
    }
  }

  /** incrementErrorCount, from an error line's code (afterErrorReply) */
  errorReplied(msg: string): void {
    const sp = msg.indexOf(' ');
    const code = sp > 0 && sp < 32 ? msg.slice(0, sp) : 'ERR';
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  /** latencyAddSample */
  latencySample(event: string, ms: number): void {
    let ts = this.latency.get(event);
    if (!ts) this.latency.set(event, (ts = { samples: [], max: 0 }));
    const now = Math.floor(Date.now() / 1000);
    if (ms > ts.max) ts.max = ms;
    const last = ts.samples[ts.samples.length - 1];
    if (last && last.time === now) {
      if (ms > last.latency) last.latency = ms;
      return;
    }
    ts.samples.push({ time: now, latency: ms });
    if (ts.samples.length > LATENCY_TS_LEN) ts.samples.shift();
  }

  /** CONFIG RESETSTAT's part */
  reset(): void {
    this.commands.clear();
    this.errors.clear();
  }
}
