/**
 * Live writes on a Database: the key-level half of Redis's write commands, each updating the
 * key's memory and the totals through Database.refresh. Errors carry Redis's reply text.
 * One file per type in src/engine/types/ (t_string.c ... t_stream.c) plus generic.ts (db.c,
 * expire.c); this module re-exports the writes for the modules that import them from here.
 */
export { EngineError, WRONGTYPE, openForWrite, openOrCreate, expireAt, cloneValue, copyKey, moveKey } from './types/generic.js';
export { setString, stringAsInt, incrBy, append, incrByFloat, setRange, setBit } from './types/string.js';
export { listPush, listPop, listTrim, listRemove, listSet, listInsert, listMove } from './types/list.js';
export { hashSet, hashDel, hashIncrBy, hashSetNx, hashIncrByFloat } from './types/hash.js';
export { setAdd, setRemove, setPop, setMove, setInterStore, setUnionDiffStore } from './types/set.js';
export { ZADD_NX, ZADD_XX, ZADD_GT, ZADD_LT, ZADD_INCR, zsetAdd, zsetRemove, zsetPop, zsetRemoveRanks, AGG_SUM, AGG_MIN, AGG_MAX, zsetUnionInterStore } from './types/zset.js';
export { streamAdd, streamDelete, streamTrim, type XaddArgs } from './types/stream.js';
