/**
 * MEMORY USAGE key SAMPLES 0, computed from a parsed key record for a chosen server profile:
 * what memoryCommand (object.c) adds up once the server has loaded the dump.
 *
 *   key            the key name: its sds (sdsAllocSize on 5.0, sdsZmallocSize after); on
 *                  Valkey 8.0 the key bytes embedded in the dict entry
 *   object         sizeof(robj)
 *   entryOverhead  the main dict's entry (sizeof(dictEntry), plus 7.0/7.2 cluster metadata;
 *                  on Valkey 8.0 the fixed part of the embedded entry)
 *   payload        the rest of objectComputeSize: strings, listpacks, tables, nodes, elements
 */
import type { KeyRecord } from '../rdb/records.js';
import type { ServerProfile } from './profiles.js';
import { featuresOf, ROBJ } from './sizes.js';
import { keyEntrySize, keyNameSize } from './key.js';
import { loadShape } from './load-encoding.js';
import { payloadSize } from './object-size.js';
import { ENC, Shape } from './shape.js';
import { streamObjectSize } from './stream.js';

export { profileForRedisVersion } from './profiles.js';
export { parseConfigOverrides } from './config.js';

export interface KeyMemoryBreakdown {
  key: number;
  object: number;
  entryOverhead: number;
  payload: number;
}

export interface KeyMemory {
  /** MEMORY USAGE key SAMPLES 0 on the profile's server (the known part when `unknown`) */
  bytes: number;
  /** OBJECT ENCODING the server reports after loading */
  encoding: string;
  /** true for module values: the module's own mem_usage callback is not modelled */
  unknown: boolean;
  breakdown: KeyMemoryBreakdown;
}

const shape = new Shape();

/**
 * MEMORY USAGE of one key (call inside onRecord: it reads the parser's reused element stats).
 * Hot loops pass `out` to have the result written into a reused object instead of a new one.
 */
export function memoryUsage(rec: KeyRecord, p: ServerProfile, out?: KeyMemory): KeyMemory {
  const f = featuresOf(p);
  const s = loadShape(rec, f, p.config, shape);
  let payload: number;
  if (s.enc === ENC.STREAM) {
    payload = rec.facts.stream ? streamObjectSize(rec.facts.stream, p) - ROBJ : 0;
  } else {
    payload = payloadSize(rec, s, f);
  }
  // objectComputeSize accumulates into a size_t: the averaged element sum is truncated
  payload = Math.floor(payload);
  const key = keyNameSize(rec.key.length, f);
  const entryOverhead = keyEntrySize(f);
  const unknown = s.enc === ENC.MODULE;
  const bytes = key + ROBJ + entryOverhead + payload;
  if (out === undefined) {
    return { bytes, encoding: s.encoding, unknown, breakdown: { key, object: ROBJ, entryOverhead, payload } };
  }
  out.bytes = bytes;
  out.encoding = s.encoding;
  out.unknown = unknown;
  const b = out.breakdown;
  b.key = key;
  b.object = ROBJ;
  b.entryOverhead = entryOverhead;
  b.payload = payload;
  return out;
}

/** A KeyMemory to pass as `out` to memoryUsage. */
export function newKeyMemory(): KeyMemory {
  return { bytes: 0, encoding: '', unknown: false, breakdown: { key: 0, object: 0, entryOverhead: 0, payload: 0 } };
}
