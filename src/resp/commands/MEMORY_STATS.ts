/** MEMORY STATS: memory of the modelled server, current with every write. */
import type { Client } from '../client.js';
import type { RespServer } from '../server.js';

export function handler(c: Client): void {
  const s = memoryStats(c.server);
  const w = c.w;
  w.map(s.fields.length);
  for (const [k, v] of s.fields) {
    w.bulkStr(k);
    if (typeof v === 'number') {
      if (Number.isInteger(v)) w.int(v);
      else w.double(v);
    } else {
      w.map(v.length);
      for (const [k2, v2] of v) {
        w.bulkStr(k2);
        w.int(v2);
      }
    }
  }
}

export interface MemoryStatsResult {
  fields: [string, number | [string, number][]][];
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
export function memoryStats(server: RespServer): MemoryStatsResult {
  const own = liveStats(server);
  const base = server.dumpStatsBaseline();
  if (!base) return own;
  const d = (name: string): number => num(own, name) - num(base.own, name);
  const fields: [string, number | [string, number][]][] = [];
  const used = Math.max(0, num(base.dump, 'total.allocated') + d('total.allocated'));
  const overhead = Math.max(0, num(base.dump, 'overhead.total') + d('overhead.total'));
  const peak = Math.max(used, server.stats.peakMemory, num(base.dump, 'peak.allocated'));
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
        fields.push([k, server.clientsMemory()]);
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

/** getMemoryOverheadData + memoryCommand STATS (object.c, 7.0) over the live model */
export function liveStats(server: RespServer): MemoryStatsResult {
  const used = server.usedMemory();
  const peak = Math.max(server.stats.peakMemory, used);
  const startup = server.startupAllocated();
  const clients = server.clientsMemory();
  const repl = server.follower?.replicationMemory() ?? { backlog: 0, slaves: 0 };
  const functions = 200;
  let overhead = startup + clients + repl.backlog + repl.slaves + functions;
  let keys = 0;
  const dbs: [string, [string, number][]][] = [];
  for (const [i, db] of server.dbs.entries()) {
    if (db.size === 0) continue;
    const o = server.dbOverhead(db);
    overhead += o.main + o.expires;
    keys += db.size;
    // the position, not db.index: SWAPDB exchanges the databases in place
    dbs.push([`db.${i}`, [['overhead.hashtable.main', o.main], ['overhead.hashtable.expires', o.expires]]]);
  }
  const dataset = Math.max(0, used - overhead);
  const net = used - startup;
  const fields: [string, number | [string, number][]][] = [
    ['peak.allocated', peak],
    ['total.allocated', used],
    ['startup.allocated', startup],
    ['replication.backlog', repl.backlog],
    ['clients.slaves', repl.slaves],
    ['clients.normal', clients],
    ['cluster.links', 0],
    ['aof.buffer', 0],
    ['lua.caches', 0],
    ['functions.caches', functions],
    ...dbs,
    ['overhead.total', overhead],
    ['keys.count', keys],
    ['keys.bytes-per-key', keys ? Math.floor(net / keys) : 0],
    ['dataset.bytes', dataset],
    ['dataset.percentage', net > 0 ? (dataset * 100) / net : 0],
    ['peak.percentage', peak > 0 ? (used * 100) / peak : 0],
  ];
  return { fields, used, peak, overhead, dataset, keys };
}
