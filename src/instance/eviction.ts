/**
 * maxmemory for a live instance: its databases as an EvictionKeyspace for the engine of
 * src/memory/evict.ts, the lru fields its databases keep (LruHooks), and the settings
 * (maxmemory, maxmemory-policy, maxmemory-samples, maxmemory-eviction-tenacity, lfu-log-factor,
 * lfu-decay-time) as --config and CONFIG SET give them.
 *
 * Bytes freed by an eviction are the fall of the instance's modelled used_memory across the
 * deletion, as performEvictions measures zmalloc_used_memory around dbSyncDelete. A follower
 * never evicts (isSafeToPerformEvictions: a replica ignores maxmemory); what its primary would
 * do is reported by INFO's and `rdblens evict`'s figures, not enforced.
 */
import {
  DEFAULT_EVICTION_CONFIG,
  Evictor,
  evictionRandom,
  loadedObjectLru,
  newObjectLru,
  parseEvictionSetting,
  touchedLru,
  isEvictionConfigName,
  type EvictionConfig,
  type EvictionKeyspace,
} from '../memory/evict.js';
import type { LruHooks } from '../engine/database.js';
import type { Instance } from './instance.js';
import { NOTIFY } from './pubsub.js';

const DEL = Buffer.from('DEL');

/** The instance's dbs as the eviction engine sees them. */
export class InstanceKeyspace implements EvictionKeyspace {
  constructor(private readonly inst: Instance) {}

  get dbCount(): number {
    return this.inst.dbs.length;
  }

  dictSize(db: number, volatile: boolean): number {
    const d = this.inst.dbs[db]!;
    return volatile ? d.expires : d.size;
  }

  sampleKeys(db: number, volatile: boolean, count: number, out: Int32Array, rand: () => number): number {
    return this.inst.dbs[db]!.sampleIds(volatile, count, out, rand);
  }

  randomKey(db: number, volatile: boolean, rand: () => number): number {
    return this.inst.dbs[db]!.randomId(volatile, rand);
  }

  keyOf(db: number, id: number): Uint8Array {
    return this.inst.dbs[db]!.ks.keyOf(id);
  }

  find(db: number, key: Uint8Array, volatile: boolean): number {
    const d = this.inst.dbs[db]!;
    // dictFind: no expiry check, no touch
    const id = d.ks.find(key);
    if (id < 0) return -1;
    if (volatile && d.ks.expireOf(id) < 0) return -1;
    return id;
  }

  lruOf(db: number, id: number): number {
    return this.inst.dbs[db]!.lruOf(id);
  }

  expireOf(db: number, id: number): number {
    return this.inst.dbs[db]!.ks.expireOf(id);
  }

  evict(db: number, id: number): number {
    const d = this.inst.dbs[db]!;
    const ps = this.inst.pubsub;
    // performEvictions: the "evicted" event after the delete
    const repl = this.inst.replication;
    const key = ps.notifyFlags & NOTIFY.EVICTED || repl.active ? Buffer.from(d.ks.keyOf(id)) : null;
    const before = this.inst.usedMemory();
    d.removeId(id);
    if (key !== null && ps.notifyFlags & NOTIFY.EVICTED) ps.notify(NOTIFY.EVICTED, 'evicted', key, db);
    if (key !== null && repl.active) {
      // propagateDeletion (DEL: lazyfree-lazy-eviction is no), then propagatePendingCommands
      repl.alsoPropagate(db, [DEL, key]);
      repl.flush();
    }
    return before - this.inst.usedMemory();
  }

  usedMemory(): number {
    return this.inst.usedMemory();
  }

  notCountedForEvict(): number {
    return this.inst.memNotCountedForEvict();
  }
}

/** The lru fields as the instance's policy sets them (read at each call: CONFIG SET applies at once). */
export function lruHooks(cfg: () => EvictionConfig, now: () => number, rand: () => number): LruHooks {
  return {
    load: (freq, idle) => loadedObjectLru(cfg()['maxmemory-policy'], freq, idle, now()),
    fresh: () => newObjectLru(cfg()['maxmemory-policy'], now()),
    touch: (lru) => touchedLru(lru, now(), cfg(), rand),
  };
}

/** The eviction state of an instance: settings, engine, time proc. */
export class InstanceEviction {
  readonly config: EvictionConfig;
  readonly evictor: Evictor;
  private timer: NodeJS.Timeout | null = null;

  constructor(inst: Instance, initial: Partial<EvictionConfig> = {}) {
    this.config = { ...DEFAULT_EVICTION_CONFIG, ...initial };
    this.evictor = new Evictor(new InstanceKeyspace(inst), this.config, undefined, evictionRandom(0x6576));
    // isSafeToPerformEvictions: a replica ignores maxmemory (replica-ignore-maxmemory yes)
    this.evictor.safe = () => inst.shared.following !== true;
    // startEvictionTimeProc: evict between commands until under the limit
    this.evictor.scheduleTimeProc = () => {
      const tick = (): void => {
        this.timer = null;
        if (this.evictor.evictionTimeProc()) this.timer = setTimeout(tick, 0).unref();
      };
      this.timer = setTimeout(tick, 0).unref();
    };
  }

  /** CONFIG SET / --config of one eviction setting; throws EvictionConfigError on a bad value. */
  set(name: string, value: string): void {
    if (!isEvictionConfigName(name)) throw new Error(`not an eviction setting: ${name}`);
    const v = parseEvictionSetting(name, value);
    (this.config as unknown as Record<string, number | string>)[name] = v;
  }

  /** CONFIG GET's values */
  values(): [string, string][] {
    const c = this.config;
    return [
      ['maxmemory', String(c.maxmemory)],
      ['maxmemory-policy', c['maxmemory-policy']],
      ['maxmemory-samples', String(c['maxmemory-samples'])],
      ['maxmemory-eviction-tenacity', String(c['maxmemory-eviction-tenacity'])],
      ['lfu-log-factor', String(c['lfu-log-factor'])],
      ['lfu-decay-time', String(c['lfu-decay-time'])],
    ];
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
