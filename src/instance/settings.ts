/**
 * CONFIG SET / CONFIG GET state of one instance (config.c, 7.0): every parameter 7.0.15 has
 * (config-table.ts, generated from a live server), its value as set, CONFIG SET's checks and
 * messages, and the effects of the parameters something here reads: the memory model's
 * encoding thresholds (as `serve --config` sets them), notify-keyspace-events, the slowlog,
 * the latency monitor and latency tracking, requirepass and protected-mode.
 */
import type { Instance } from './instance.js';
import { CONFIG_TABLE, type ConfigKind } from './config-table.js';
import { keyspaceEventsFlags, keyspaceEventsString } from './pubsub.js';
import type { ServerConfig } from '../memory/profiles.js';

interface Param {
  name: string;
  kind: ConfigKind;
  values?: readonly string[];
  /** the parameter an alias stands for */
  canonical: string;
}

/** 7.0's aliases (CONFIG GET lists both names) */
const ALIAS_OF: Record<string, string> = {
  'hash-max-ziplist-entries': 'hash-max-listpack-entries',
  'hash-max-ziplist-value': 'hash-max-listpack-value',
  'zset-max-ziplist-entries': 'zset-max-listpack-entries',
  'zset-max-ziplist-value': 'zset-max-listpack-value',
  'list-max-ziplist-size': 'list-max-listpack-size',
};

const PARAMS = new Map<string, Param>();
const DEFAULTS = new Map<string, string>();
for (const [name, def, kind, values] of CONFIG_TABLE) {
  let canonical = ALIAS_OF[name] ?? name;
  if (name.startsWith('slave-') && CONFIG_TABLE.some((r) => r[0] === 'replica-' + name.slice(6))) canonical = 'replica-' + name.slice(6);
  if (name.includes('-slave-') && CONFIG_TABLE.some((r) => r[0] === name.replace('-slave-', '-replica-'))) canonical = name.replace('-slave-', '-replica-');
  if (name === 'slaveof') canonical = 'replicaof';
  PARAMS.set(name, { name, kind, ...(values ? { values } : {}), canonical });
  DEFAULTS.set(name, def);
}

/** the memory model's parameters (ServerConfig), by their canonical names */
const MODEL_KEYS = new Set([
  'hash-max-listpack-entries', 'hash-max-listpack-value', 'set-max-intset-entries', 'set-max-listpack-entries',
  'set-max-listpack-value', 'zset-max-listpack-entries', 'zset-max-listpack-value', 'list-max-listpack-size',
  'list-compress-depth', 'stream-node-max-bytes', 'stream-node-max-entries',
]);

class SetError extends Error {}

/** memtoull (util.c): an integer with an optional k/kb/m/mb/g/gb unit, any case */
export function parseMemory(s: string): number | null {
  const m = /^(-?\d+)(k|kb|m|mb|g|gb|b)?$/i.exec(s);
  if (!m) return null;
  const mul: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1024, m: 1000 ** 2, mb: 1024 ** 2, g: 1000 ** 3, gb: 1024 ** 3 };
  const v = Number(m[1]) * mul[(m[2] ?? '').toLowerCase()]!;
  return Number.isSafeInteger(v) || Number.isFinite(v) ? v : null;
}

/** trimDoubleString of "%f" */
function fmtPercentile(p: number): string {
  let s = p.toFixed(6);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

export class Settings {
  /** values set by CONFIG SET, by canonical name */
  private readonly set_ = new Map<string, string>();
  /** slowlog-log-slower-than (µs; negative: off) */
  slowlogSlowerThan = 10000;
  slowlogMaxLen = 128;
  /** latency-monitor-threshold (ms; 0: off) */
  latencyThreshold = 0;
  latencyTracking = true;
  percentiles: number[] = [50, 99, 99.9];
  /** maxmemory (bytes; 0: no limit) and maxmemory-policy */
  maxmemory = 0;
  maxmemoryPolicy = 'noeviction';

  constructor(private readonly inst: Instance) {}

  /** maxmemory-clients as CONFIG SET gave it: bytes, or "N%" of maxmemory (0: no client eviction) */
  maxmemoryClients(): string {
    return this.set_.get('maxmemory-clients') ?? '0';
  }

  static known(name: string): boolean {
    return PARAMS.has(name.toLowerCase());
  }

  /** every parameter with its value (CONFIG GET): the instance's own answers, 7.0's defaults, what was set */
  values(base: Map<string, string>): Map<string, string> {
    const out = new Map<string, string>();
    for (const [name, def] of DEFAULTS) out.set(name, def);
    for (const [k, v] of base) out.set(k, v);
    for (const [name, p] of PARAMS) {
      const v = this.set_.get(p.canonical);
      if (v !== undefined) out.set(name, v);
    }
    return out;
  }

  /**
   * CONFIG SET of `pairs` as configSetCommand does it: every name checked first (unknown,
   * immutable, duplicate), then each value set in order; a bad value puts the earlier ones back.
   * Throws the error line.
   */
  setAll(pairs: [string, string][]): void {
    let unknown: string | null = null;
    let errArg: string | null = null;
    let errStr: string | null = null;
    const params: Param[] = [];
    for (const [rawName] of pairs) {
      const p = PARAMS.get(rawName.toLowerCase());
      if (!p) {
        if (unknown === null && errArg === null) unknown = rawName;
        continue;
      }
      if (unknown !== null || errArg !== null) continue;
      if (p.kind === 'immutable' || p.kind === 'protected') {
        errStr = p.kind === 'immutable' ? "can't set immutable config" : "can't set protected config";
        errArg = rawName;
        continue;
      }
      if (params.some((q) => q.canonical === p.canonical)) {
        errStr = 'duplicate parameter';
        errArg = rawName;
      }
      params.push(p);
    }
    if (unknown !== null) throw new SetError(`ERR Unknown option or number of arguments for CONFIG SET - '${unknown}'`);
    if (errArg !== null) throw new SetError(`ERR CONFIG SET failed (possibly related to argument '${errArg}') - ${errStr}`);
    const backup = new Map(this.set_);
    const backupRuntime = this.snapshot();
    try {
      for (let i = 0; i < pairs.length; i++) this.setOne(params[i]!, pairs[i]![1]);
    } catch (e) {
      this.set_.clear();
      for (const [k, v] of backup) this.set_.set(k, v);
      this.restore(backupRuntime);
      throw e;
    }
  }

  private snapshot(): unknown {
    return {
      slowlogSlowerThan: this.slowlogSlowerThan, slowlogMaxLen: this.slowlogMaxLen, latencyThreshold: this.latencyThreshold,
      latencyTracking: this.latencyTracking, percentiles: this.percentiles, notify: this.inst.pubsub.notifyFlags,
      maxmemory: this.maxmemory, maxmemoryPolicy: this.maxmemoryPolicy,
      requirepass: this.inst.requirepass, protectedMode: this.inst.protectedMode,
      cfg: { ...this.inst.shared.env.cfg },
    };
  }

  private restore(s: unknown): void {
    const o = s as ReturnType<Settings['snapshot']> & Record<string, never>;
    const r = o as unknown as {
      slowlogSlowerThan: number; slowlogMaxLen: number; latencyThreshold: number; latencyTracking: boolean; percentiles: number[];
      notify: number; cfg: ServerConfig; maxmemory: number; maxmemoryPolicy: string;
      requirepass: string | undefined; protectedMode: boolean;
    };
    this.inst.requirepass = r.requirepass;
    this.inst.protectedMode = r.protectedMode;
    this.maxmemory = r.maxmemory;
    this.maxmemoryPolicy = r.maxmemoryPolicy;
    this.slowlogSlowerThan = r.slowlogSlowerThan;
    this.slowlogMaxLen = r.slowlogMaxLen;
    this.latencyThreshold = r.latencyThreshold;
    this.latencyTracking = r.latencyTracking;
    this.percentiles = r.percentiles;
    this.inst.pubsub.notifyFlags = r.notify;
    this.inst.syncNotifyHooks();
    Object.assign(this.inst.shared.env.cfg, r.cfg);
  }

  private setOne(p: Param, raw: string): void {
    const fail = (msg: string): never => {
      throw new SetError(`ERR CONFIG SET failed (possibly related to argument '${p.name}') - ${msg}`);
    };
    let v = raw;
    switch (p.kind) {
      case 'bool': {
        const b = raw.toLowerCase();
        if (b !== 'yes' && b !== 'no') fail("argument must be 'yes' or 'no'");
        v = b;
        break;
      }
      case 'int': {
        if (!/^-?\d+$/.test(raw)) fail("argument couldn't be parsed into an integer");
        v = String(Number(raw));
        break;
      }
      case 'memory': {
        const n = parseMemory(raw);
        if (n === null) fail('argument must be a memory value');
        v = String(n);
        break;
      }
      case 'enum': {
        const low = raw.toLowerCase();
        if (!p.values!.includes(low)) fail(`argument(s) must be one of the following: ${p.values!.join(', ')}`);
        v = low;
        break;
      }
      case 'special':
        v = this.special(p, raw, fail);
        break;
      default:
        break;
    }
    this.apply(p.canonical, v, fail);
    this.set_.set(p.canonical, v);
  }

  private special(p: Param, raw: string, fail: (m: string) => never): string {
    switch (p.canonical) {
      case 'notify-keyspace-events': {
        const f = keyspaceEventsFlags(raw);
        if (f < 0) fail("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
        this.inst.pubsub.notifyFlags = f;
        this.inst.syncNotifyHooks();
        return keyspaceEventsString(f);
      }
      case 'latency-tracking-info-percentiles': {
        const parts = raw.split(' ').filter((x) => x !== '');
        const ps: number[] = [];
        for (const x of parts) {
          const n = Number(x);
          if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(x) || Number.isNaN(n)) fail('Invalid latency-tracking-info-percentiles parameters');
          if (n > 100 || n < 0) fail('latency-tracking-info-percentiles parameters should sit between [0.0,100.0]');
          ps.push(n);
        }
        this.percentiles = ps;
        return ps.map(fmtPercentile).join(' ');
      }
      case 'save': {
        const parts = raw.split(' ').filter((x) => x !== '');
        if (parts.length % 2 !== 0 || parts.some((x) => !/^\d+$/.test(x))) fail('Invalid save parameters');
        return parts.join(' ');
      }
      case 'maxmemory-clients': {
        const pct = /^(\d+)%$/.exec(raw);
        if (pct) return raw;
        const n = parseMemory(raw);
        if (n === null) fail('argument must be a memory value');
        return String(n);
      }
      default:
        return raw;
    }
  }

  /** what a value changes here */
  private apply(name: string, v: string, fail: (m: string) => never): void {
    if (MODEL_KEYS.has(name)) {
      const n = Number(v);
      if (name !== 'list-max-listpack-size' && n < 0) fail('argument must be between 0 and 2147483647 inclusive');
      this.modelConfig()[name as keyof ServerConfig] = n as never;
      return;
    }
    switch (name) {
      case 'slowlog-log-slower-than':
        this.slowlogSlowerThan = Number(v);
        break;
      case 'slowlog-max-len':
        if (Number(v) < 0) fail('argument must be between 0 and 9223372036854775807 inclusive');
        this.slowlogMaxLen = Number(v);
        this.inst.observe.slowlog.trim(this.slowlogMaxLen);
        break;
      case 'latency-monitor-threshold':
        if (Number(v) < 0) fail('argument must be between 0 and 9223372036854775807 inclusive');
        this.latencyThreshold = Number(v);
        break;
      case 'latency-tracking':
        this.latencyTracking = v === 'yes';
        break;
      case 'maxmemory':
        this.maxmemory = Number(v);
        break;
      case 'maxmemory-policy':
        this.maxmemoryPolicy = v;
        break;
      case 'requirepass':
        // updateRequirePass (config.c): the default user's password; empty is nopass
        this.inst.requirepass = v === '' ? undefined : v;
        break;
      case 'protected-mode':
        this.inst.protectedMode = v === 'yes';
        break;
      default:
        break;
    }
  }

  /** the profile's configuration, made this instance's own before the first change */
  private ownCfg = false;
  private modelConfig(): ServerConfig {
    const inst = this.inst;
    if (!this.ownCfg) {
      const cfg = { ...inst.profile.config };
      inst.profile = { ...inst.profile, config: cfg };
      inst.shared.env.cfg = cfg;
      this.ownCfg = true;
    }
    return inst.shared.env.cfg;
  }

  /** a dataset replaced by a resync brings its own profile: keep what was set */
  reapply(): void {
    if (!this.ownCfg) return;
    this.ownCfg = false;
    const cfg = this.modelConfig();
    for (const [k, v] of this.set_) if (MODEL_KEYS.has(k)) cfg[k as keyof ServerConfig] = Number(v) as never;
  }
}

export { SetError as ConfigSetError };
