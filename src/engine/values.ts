/**
 * Values held in memory: keys written live, and dump keys once a write materialised them.
 * One file per type in src/engine/types/ (string.ts, list.ts, hash.ts, set.ts, zset.ts,
 * stream.ts, as Redis splits t_*.c) and the generic part (generic.ts); this module re-exports
 * the values for the modules that import them from here.
 */
export { bytesOf, latin1Key, typeOfValue, type Env, type LiveValue } from './types/generic.js';
export { StringValue } from './types/string.js';
export { ListValue } from './types/list.js';
export { HashValue } from './types/hash.js';
export { SetValue } from './types/set.js';
export { ZsetValue } from './types/zset.js';
export { cmpId, StreamValue, type StreamId, type LiveStreamEntry } from './types/stream.js';
