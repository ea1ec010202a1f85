/**
 * The seeded random command sequence of the consumer-group differential test: a few streams
 * (explicit, increasing IDs so both servers hold the same entries), groups and consumers drawn
 * from small pools so they are created, read, claimed, acknowledged and destroyed over and over,
 * error cases included (absent keys and groups, a string key, bad IDs and options).
 * Idle-time filters are 0 or an hour, so what is claimed does not depend on timing.
 */
import { Rng } from './diff-gen.js';

export { Rng };

export class GroupGen {
  /** the next entry ms per stream key */
  private readonly nextMs = new Map<string, number>();
  constructor(private readonly r: Rng) {}

  private key(): string {
    const r = this.r;
    return r.int(30) === 0 ? 'str' : r.int(25) === 0 ? 'nokey' : `x:${r.int(3)}`;
  }

  /** mostly g0: a group lives long enough to collect pending entries */
  private group(): string {
    const x = this.r.int(10);
    return x < 6 ? 'g0' : x < 9 ? 'g1' : 'g2';
  }

  private consumer(): string {
    return this.r.pick(['alice', 'bob', 'carol', 'd'.repeat(1 + this.r.int(40))]);
  }

  /** an ID near the stream's entries (often one that exists, sometimes past the end or malformed) */
  private id(k: string, junk = true): string {
    const r = this.r;
    const top = this.nextMs.get(k) ?? 1;
    switch (r.int(12)) {
      case 0:
        return junk ? r.pick(['-', '+', '0', 'x-1', '1-', '18446744073709551615-18446744073709551615']) : '0-1';
      case 1:
        return `${top + 5}-0`;
      case 2:
        return `${1 + r.int(top)}-1`;
      default:
        // the last entries, the ones most likely pending
        return `${Math.max(1, top - 1 - r.int(12))}-0`;
    }
  }

  /** IDs for XACK / XCLAIM: a malformed one only now and then (it ends XCLAIM's ID list) */
  private ids(k: string, n: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.id(k, this.r.int(8) === 0));
    return out;
  }

  next(): string[] {
    const r = this.r;
    const k = this.key();
    const g = this.group();
    const c = this.consumer();
    switch (r.int(20)) {
      case 0:
      case 1:
      case 2: {
        if (k === 'str') return ['SET', 'str', 'v'];
        const ms = this.nextMs.get(k) ?? 1;
        this.nextMs.set(k, ms + 1 + (r.int(4) === 0 ? 1 : 0));
        const fields = r.int(3) === 0 ? ['f', 'x'.repeat(r.int(60)), 'g', String(r.int(1000))] : ['f', String(r.int(100))];
        const trim = r.int(6) === 0 ? ['MAXLEN', r.pick(['=', '~']), String(r.int(20))] : [];
        return ['XADD', k, ...trim, `${ms}-${r.int(4) === 0 ? 1 : 0}`, ...fields];
      }
      case 3:
        return r.int(2) ? ['XDEL', k, ...this.ids(k, 1 + r.int(3))] : ['XTRIM', k, 'MAXLEN', String(r.int(30))];
      case 4: {
        const opts = [];
        if (r.int(2)) opts.push('MKSTREAM');
        if (r.int(4) === 0) opts.push('ENTRIESREAD', r.pick(['-1', '0', '3', '-5', 'x']));
        return ['XGROUP', 'CREATE', k, g, r.pick(['$', '0', this.id(k)]), ...opts];
      }
      case 5: {
        const opts = r.int(3) === 0 ? ['ENTRIESREAD', r.pick(['-1', '2', '7'])] : [];
        return ['XGROUP', 'SETID', k, g, r.pick(['$', '0', this.id(k)]), ...opts];
      }
      case 6:
        return r.int(10) === 0 ? ['XGROUP', 'DESTROY', k, g] : ['XGROUP', r.pick(['CREATECONSUMER', 'DELCONSUMER']), k, g, c];
      case 7:
      case 8:
      case 9: {
        const opts = [];
        if (r.int(2)) opts.push('COUNT', String(r.int(5)));
        if (r.int(5) === 0) opts.push('NOACK');
        const keys = r.int(4) === 0 ? [k, `x:${r.int(3)}`] : [k];
        const ids = keys.map((kk) => (r.int(4) === 0 ? r.pick(['0', this.id(kk), this.id(kk), '$']) : '>'));
        return ['XREADGROUP', 'GROUP', g, c, ...opts, 'STREAMS', ...keys, ...ids];
      }
      case 10:
        return ['XACK', k, g, ...this.ids(k, 1 + r.int(4))];
      case 11: {
        const opts = [];
        if (r.int(3) === 0) opts.push('JUSTID');
        if (r.int(3) === 0) opts.push('FORCE');
        if (r.int(4) === 0) opts.push('RETRYCOUNT', String(r.int(9)));
        if (r.int(5) === 0) opts.push('LASTID', this.id(k));
        if (r.int(5) === 0) opts.push(r.pick(['TIME', 'IDLE']), r.pick(['1000', '1700000000000', '-5', 'x']));
        if (r.int(25) === 0) opts.push('BOGUS');
        return ['XCLAIM', k, g, c, r.pick(['0', '0', '0', '3600000', '-1', 'x']), ...this.ids(k, 1 + r.int(4)), ...opts];
      }
      case 12: {
        const opts = [];
        if (r.int(2)) opts.push('COUNT', r.pick(['1', '2', '5', '0', '100']));
        if (r.int(3) === 0) opts.push('JUSTID');
        return ['XAUTOCLAIM', k, g, c, r.pick(['0', '0', '3600000']), r.pick(['0', '-', this.id(k), `(${this.id(k)}`]), ...opts];
      }
      case 13: {
        if (r.int(3) === 0) return ['XPENDING', k, g];
        const idle = r.int(4) === 0 ? ['IDLE', r.pick(['0', '3600000'])] : [];
        const who = r.int(3) === 0 ? [c] : [];
        return ['XPENDING', k, g, ...idle, r.pick(['-', '0', `(${this.id(k)}`]), r.pick(['+', this.id(k)]), String(r.int(6)), ...who];
      }
      case 14:
        return r.int(2) ? ['XINFO', 'GROUPS', k] : ['XINFO', 'CONSUMERS', k, g];
      case 15:
        return r.int(2) ? ['XINFO', 'STREAM', k] : ['XINFO', 'STREAM', k, 'FULL', ...(r.int(2) ? ['COUNT', String(r.int(4))] : [])];
      case 16:
        return ['XREAD', 'COUNT', String(1 + r.int(3)), 'STREAMS', k, this.id(k)];
      default:
        return ['MEMORY', 'USAGE', `x:${r.int(3)}`, 'SAMPLES', '0'];
    }
  }
}

/** the reply with its run-dependent values (idle and delivery times, seen times) set to 0 */
export function maskTimes(cmd: readonly string[], v: unknown): unknown {
  const name = cmd[0]!.toUpperCase();
  const sub = (cmd[1] ?? '').toUpperCase();
  if (name === 'XPENDING' && cmd.length > 3 && Array.isArray(v)) return v.map((e) => (Array.isArray(e) ? [e[0], e[1], 0, e[3]] : e));
  if (name === 'XINFO' && sub === 'CONSUMERS' && Array.isArray(v)) return v.map((m) => setField(m, 'idle', 0));
  if (name === 'XINFO' && sub === 'STREAM' && cmd.length > 3 && Array.isArray(v)) {
    const groups = field(v, 'groups');
    if (!Array.isArray(groups)) return v;
    const masked = groups.map((g) => {
      let out = setField(g, 'pending', (field(g, 'pending') as unknown[]).map((p) => [(p as unknown[])[0], (p as unknown[])[1], 0, (p as unknown[])[3]]));
      const consumers = (field(g, 'consumers') as unknown[]).map((con) =>
        setField(setField(con, 'seen-time', 0), 'pending', (field(con, 'pending') as unknown[]).map((p) => [(p as unknown[])[0], 0, (p as unknown[])[2]])),
      );
      out = setField(out, 'consumers', consumers);
      return out;
    });
    return setField(v, 'groups', masked);
  }
  return v;
}

function field(m: unknown, name: string): unknown {
  if (!Array.isArray(m)) return undefined;
  for (let i = 0; i + 1 < m.length; i += 2) if (m[i] === name) return m[i + 1];
  return undefined;
}

function setField(m: unknown, name: string, value: unknown): unknown {
  if (!Array.isArray(m)) return m;
  const out = [...m];
  for (let i = 0; i + 1 < out.length; i += 2) if (out[i] === name) out[i + 1] = value;
  return out;
}
