/**
 * The instance's MEMORY STATS and MEMORY DOCTOR: the live model's figures, or, with dumps
 * loaded, the dump model's (src/memory/stats.ts, what `rdblens stats` prints) moved by the live
 * changes since startup.
 */
import type { Instance } from './instance.js';
import { memoryStatsFields, type StatsValue } from '../memory/stats.js';

/**
 * What one client that has sent a command holds (getClientMemoryUsage: the client struct, its
 * 16 KB reply buffer, a 16 KB query buffer in its 20 KB class): part of the dump model's
 * afterLoad, which was measured with one client connected.
 */
const CLIENT_IN_AFTER_LOAD = 768 + 16384 + 20480;

export interface MemoryStatsResult {
  fields: [string, StatsValue][];
  used: number;
  peak: number;
  overhead: number;
  dataset: number;
  keys: number;
}

/**
 * MEMORY STATS now. With dumps loaded, the dump model's figures (src/memory/stats.ts, what
 * `rdblens stats` prints) are the starting point and the live model's changes since startup
 * are added to them; with no dump, the live model alone.
 */
export function memoryStats(inst: Instance): MemoryStatsResult {
  const own = liveStats(inst);
  const base = inst.dumpStatsBaseline();
  if (!base) return own;
  const d = (name: string): number => num(own, name) - num(base.own, name);
  const fields: [string, StatsValue][] = [];
  // the dump model's total already holds one connected client (profiles.ts afterLoad)
  const inAfterLoad = Math.min(inst.clientsMemory(), CLIENT_IN_AFTER_LOAD);
  const used = Math.max(0, num(base.dump, 'total.allocated') + d('total.allocated') - inAfterLoad);
  const overhead = Math.max(0, num(base.dump, 'overhead.total') + d('overhead.total') - inAfterLoad);
  const peak = Math.max(used, inst.stats.peakMemory, num(base.dump, 'peak.allocated'));
  const keys = own.keys;
  const startup = num(base.dump, 'startup.allocated');
  const net = used > startup ? used - startup : 1;
  const dataset = Math.max(0, used - overhead);
  const ownDbs = new Map(own.fields.filter(([k]) => k.startsWith('db.')));
  const baseOwnDbs = new Map(base.own.fields.filter(([k]) => k.startsWith('db.')));
  const seen = new Set<string>();
  for (const [k, v] of base.dump.fields) {
    if (k.startsWith('db.') && Array.isArray(v)) {
      seen.add(k);
      const now = ownDbs.get(k) as [string, number][] | undefined;
      const then = baseOwnDbs.get(k) as [string, number][] | undefined;
      fields.push([k, v.map(([n, x]) => [n, Math.max(0, x + sub(now, n) - sub(then, n))] as [string, number])]);
      continue;
    }
    if (typeof v !== 'number') continue;
    switch (k) {
      case 'peak.allocated':
        fields.push([k, peak]);
        break;
      case 'total.allocated':
      case 'allocator.allocated':
      case 'allocator.active':
      case 'allocator.resident':
        fields.push([k, used]);
        break;
      case 'clients.normal':
        fields.push([k, inst.clientsMemory()]);
        break;
      case 'replication.backlog':
      case 'clients.slaves':
        fields.push([k, num(own, k)]);
        break;
      case 'overhead.total':
        fields.push([k, overhead]);
        break;
      case 'keys.count':
        fields.push([k, keys]);
        break;
      case 'keys.bytes-per-key':
        fields.push([k, keys ? Math.floor(net / keys) : 0]);
        break;
      case 'dataset.bytes':
        fields.push([k, dataset]);
        break;
      case 'dataset.percentage':
        fields.push([k, (dataset * 100) / net]);
        break;
      case 'peak.percentage':
        fields.push([k, (used * 100) / peak]);
        break;
      default:
        fields.push([k, v]);
    }
  }
  // databases that only live writes created
  for (const [k, v] of ownDbs) if (!seen.has(k)) fields.splice(fields.findIndex(([n]) => n === 'overhead.total'), 0, [k, v]);
  return { fields, used, peak, overhead, dataset, keys };
}

function num(s: { fields: [string, unknown][] }, name: string): number {
  const f = s.fields.find(([k]) => k === name);
  return f && typeof f[1] === 'number' ? f[1] : 0;
}

function sub(v: [string, number][] | undefined, name: string): number {
  return v?.find(([k]) => k === name)?.[1] ?? 0;
}

/**
 * getMemoryOverheadData + memoryCommand STATS (object.c) over the live model, laid out in the
 * profile's field names and order (src/memory/stats.ts memoryStatsFields).
 */
export function liveStats(inst: Instance): MemoryStatsResult {
  const p = inst.profile;
  const used = inst.usedMemory();
  const peak = Math.max(inst.stats.peakMemory, used);
  const startup = inst.startupAllocated();
  const clients = inst.clientsMemory();
  const repl = inst.follower?.replicationMemory() ?? { backlog: 0, slaves: 0 };
  const sm = inst.scripting.memory();
  const functions = p.version >= 700 ? sm.functions : 0;
  const f = inst.shared.env.f;
  let overhead = startup + clients + repl.backlog + repl.slaves + functions + sm.scriptsEval;
  let keys = 0;
  let lut = 0;
  const dbs: { db: number; main: number; expires: number; slotToKeys: number }[] = [];
  for (const [i, db] of inst.dbs.entries()) {
    if (db.size === 0) continue;
    const o = inst.dbOverhead(db);
    overhead += o.main + o.expires;
    keys += db.size;
    lut += o.mainBuckets + o.expiresBuckets - db.expires * 24;
    // the position, not db.index: SWAPDB exchanges the databases in place
    dbs.push({ db: i, main: o.main, expires: o.expires, slotToKeys: db.size * f.clusterEntryMeta });
  }
  const dataset = Math.max(0, used - overhead);
  const net = used - startup;
  const fields = memoryStatsFields(p, {
    peak,
    total: used,
    startup,
    backlog: repl.backlog,
    slaves: repl.slaves,
    clientsNormal: clients,
    functionsCaches: functions,
    luaCaches: sm.scriptsEval,
    dbs,
    lut,
    overhead,
    keys,
    bytesPerKey: keys ? Math.floor(net / keys) : 0,
    dataset,
    datasetPercentage: net > 0 ? (dataset * 100) / net : 0,
    peakPercentage: peak > 0 ? (used * 100) / peak : 0,
  });
  return { fields, used, peak, overhead, dataset, keys };
}

/** the report, with the checks that apply to a model (no RSS or allocator figures here) */
export function memoryDoctor(inst: Instance): string {
  const s = memoryStats(inst);
  if (s.used < 1024 * 1024 * 5) {
    return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.";
  }
  let highPeak = false;
  let bigClient = false;
  if (s.peak / s.used > 1.5) highPeak = true;
  const n = inst.frontend?.clientFigures().connected ?? 0;
  if (n > 0 && inst.clientsMemory() / n > 1024 * 200) bigClient = true;
  // dictSize(evalScriptsDict()) > 1000 (memoryCommand "doctor", object.c 7.0)
  const manyScripts = inst.scripting.scripts.size > 1000;
  if (!highPeak && !bigClient && !manyScripts) {
    return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.";
  }
  let out = 'Sam, I detected a few issues in this Redis instance memory implants:\n\n';
  if (highPeak) {
    out +=
      ' * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n';
  }
  if (bigClient) {
    out +=
      ' * Big client buffers: The clients output buffers are in general too big, more than 200K per client on average. This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.\n\n';
  }
  if (manyScripts) {
    out +=
      " * Many scripts: There seem to be many cached scripts in this instance (more than 1000). This may be because scripts are generated and `EVAL`ed, instead of being parameterized (with KEYS and ARGV), `SCRIPT LOAD`ed and `EVALSHA`ed. Unless `SCRIPT FLUSH` is called periodically, the scripts' caches may end up consuming most of your memory.\n\n";
  }
  out += "I'm here to keep you safe, Sam. I want to help you.\n";
  return out;
}
