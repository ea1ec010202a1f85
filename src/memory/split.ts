/**
 * A dump read as two parts by two threads (ParserOptions.split): the head reads from the start
 * to a record boundary, the tail skims to that boundary and reads the rest. These functions join
 * the two parts' results into what one pass over the whole dump gives: tallies are sums, top
 * lists keep the same keys (ties broken by record offset, top-n.ts), and the capped collections
 * (the doctor's prefixes) take the tail's new entries only while one pass would have.
 *
 * One difference is left: the prefix tree's node cap (PrefixOptions.maxNodes, 10,000). When a
 * dump has more prefixes than that, one pass keeps the first ones in file order and the merge
 * keeps the head's, then the tail's in tree order: the totals are the same, which rare prefixes
 * get a node of their own may differ. (docs/architecture.md, "Two threads on one dump".)
 */
import { KEEP_FINDINGS, type IntegrityData } from '../rdb/integrity.js';
import type { ValueType } from '../rdb/constants.js';
import type { RdbError } from '../rdb/errors.js';
import type { AggregateData, Tally } from './aggregate.js';
import type { DumpAnalysis } from './analyze.js';
import { DoctorCollector } from './doctor.js';
import { PrefixTree } from './prefix-tree.js';
import type { KeyPass } from './sizer.js';
import type { DbLoadStats, LoadStats } from './stats.js';
import { TopN } from './top-n.js';

function sumTally<T extends Tally>(into: T, from: T): void {
  for (const k of Object.keys(from) as (keyof T)[]) (into[k] as number) += from[k] as number;
}

function sumMap<K, T extends Tally>(into: Map<K, T>, from: ReadonlyMap<K, T>): Map<K, T> {
  const out = new Map<K, T>();
  for (const [k, t] of into) out.set(k, { ...t });
  for (const [k, t] of from) {
    const o = out.get(k);
    if (o) sumTally(o, t);
    else out.set(k, { ...t });
  }
  return out;
}

export function mergeAggregates(head: AggregateData, tail: AggregateData): AggregateData {
  const typeEncodings = new Map<ValueType, Map<string, Tally>>();
  for (const [t, encs] of head.typeEncodings) typeEncodings.set(t, sumMap(encs, new Map()));
  for (const [t, encs] of tail.typeEncodings) typeEncodings.set(t, sumMap(typeEncodings.get(t) ?? new Map(), encs));
  const top = (a: AggregateData['topByMemory'], b: AggregateData['topByMemory']) => {
    const t = TopN.of(a);
    t.merge(b);
    return t.data();
  };
  // the head's tree takes the tail's in (the head's analysis is the merged one's now)
  const prefixes = PrefixTree.of(head.prefixes);
  prefixes.merge(tail.prefixes);
  const total = { ...head.total };
  sumTally(total, tail.total);
  return {
    options: head.options,
    total,
    byDb: sumMap(head.byDb, tail.byDb),
    typeEncodings,
    byFile: sumMap(head.byFile, tail.byFile),
    ttl: sumMap(head.ttl, tail.ttl),
    sizeHistogram: head.sizeHistogram.map((t, i) => ({ keys: t.keys + tail.sizeHistogram[i]!.keys, bytes: t.bytes + tail.sizeHistogram[i]!.bytes })),
    countHistogram: head.countHistogram.map((t, i) => ({ keys: t.keys + tail.countHistogram[i]!.keys, bytes: t.bytes + tail.countHistogram[i]!.bytes })),
    topByMemory: top(head.topByMemory, tail.topByMemory),
    topByElements: top(head.topByElements, tail.topByElements),
    prefixes: prefixes.data(),
    keyNameBytes: head.keyNameBytes + tail.keyNameBytes,
    unknownSize: head.unknownSize + tail.unknownSize,
  };
}

export function mergeLoadStats(head: LoadStats, tail: LoadStats): LoadStats {
  const dbs = new Map<number, DbLoadStats>();
  for (const [db, d] of head.dbs) dbs.set(db, { ...d, slotKeys: d.slotKeys && d.slotKeys.slice(), slotExpires: d.slotExpires && d.slotExpires.slice() });
  for (const [db, d] of tail.dbs) {
    const o = dbs.get(db);
    if (!o) {
      dbs.set(db, { ...d });
      continue;
    }
    o.keys += d.keys;
    o.expires += d.expires;
    o.resize ??= d.resize;
    if (o.slotKeys && d.slotKeys) for (let i = 0; i < o.slotKeys.length; i++) o.slotKeys[i]! += d.slotKeys[i]!;
    if (o.slotExpires && d.slotExpires) for (let i = 0; i < o.slotExpires.length; i++) o.slotExpires[i]! += d.slotExpires[i]!;
  }
  const datasetByType = new Map(head.datasetByType);
  for (const [t, n] of tail.datasetByType) datasetByType.set(t, (datasetByType.get(t) ?? 0) + n);
  return {
    profile: head.profile,
    dbs,
    allocated: head.allocated + tail.allocated,
    datasetByType,
    dropped: head.dropped + tail.dropped,
    libraries: [...head.libraries, ...tail.libraries],
  };
}

export function mergeIntegrity(head: IntegrityData, tail: IntegrityData): IntegrityData {
  return {
    corrupt: head.corrupt + tail.corrupt,
    duplicates: head.duplicates + tail.duplicates,
    lateDuplicates: head.lateDuplicates + tail.lateDuplicates,
    emptySkipped: head.emptySkipped + tail.emptySkipped,
    findings: [...head.findings, ...tail.findings].slice(0, KEEP_FINDINGS),
  };
}

/**
 * The error of the whole: the head's (the tail skimmed past the same damage, or stopped at it),
 * else the tail's, its count of keys read before it made the whole file's.
 */
function mergeError(headError: RdbError | null, tailError: RdbError | null, headKeys: number): RdbError | null {
  if (headError) return headError;
  if (tailError && tailError.keysRead !== undefined) tailError.keysRead += headKeys;
  return tailError;
}

/** The analysis of the whole dump from its two parts' (head first; the head's maps are reused). */
export function mergeSplitAnalysis(head: DumpAnalysis, tail: DumpAnalysis): DumpAnalysis {
  if (head.error) return head;
  const doctor = new DoctorCollector(head.doctor.profile, head.doctor.options);
  doctor.merge(head.doctor);
  doctor.merge(tail.doctor, true);
  return {
    ...head,
    keysInFile: head.keysInFile + tail.keysInFile,
    expiredKeys: head.expiredKeys + tail.expiredKeys,
    expiredBytes: head.expiredBytes + tail.expiredBytes,
    functions: head.functions + tail.functions,
    libraries: [...head.libraries, ...tail.libraries],
    moduleAux: [...head.moduleAux, ...tail.moduleAux],
    aggregate: mergeAggregates(head.aggregate, tail.aggregate),
    stats: mergeLoadStats(head.stats, tail.stats),
    doctor: doctor.data(),
    checksum: tail.checksum,
    integrity: mergeIntegrity(head.integrity, tail.integrity),
    error: mergeError(head.error, tail.error, head.keysInFile),
  };
}

/** The key pass (csv) of the whole dump from its two parts' (head first). */
export function mergeSplitPass(head: KeyPass, tail: KeyPass): KeyPass {
  if (head.error) return head;
  return {
    keysInFile: head.keysInFile + tail.keysInFile,
    keys: head.keys + tail.keys,
    profile: head.profile,
    checksum: tail.checksum,
    error: mergeError(head.error, tail.error, head.keysInFile),
    integrity: mergeIntegrity(head.integrity, tail.integrity),
  };
}
