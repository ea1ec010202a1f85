/**
 * Which encoding the server picks when it LOADS a value, and the sizes that decision fixes
 * (table buckets, listpack capacities, quicklist nodes). Mirrors rdbLoadObject (rdb.c) per
 * version, with the *-max-* thresholds of the profile's configuration.
 */
import type { KeyRecord } from '../rdb/records.js';
import type { ServerConfig } from './profiles.js';
import type { Features } from './sizes.js';
import { EMBSTR_SIZE_LIMIT } from './sizes.js';
import { loadList } from './load-list.js';
import { loadSet } from './load-set.js';
import { loadZset } from './load-zset.js';
import { loadHash } from './load-hash.js';
import { ENC, Shape } from './shape.js';

/** Fill `s` with the shape the value has after loading. Streams and modules are left to the caller. */
export function loadShape(rec: KeyRecord, f: Features, cfg: ServerConfig, s: Shape): Shape {
  s.reset();
  switch (rec.type) {
    case 'string':
      loadString(rec, s);
      break;
    case 'list':
      loadList(rec, f, cfg, s);
      break;
    case 'set':
      loadSet(rec, f, cfg, s);
      break;
    case 'zset':
      loadZset(rec, f, cfg, s);
      break;
    case 'hash':
      loadHash(rec, f, cfg, s);
      break;
    case 'stream':
      s.enc = ENC.STREAM;
      s.encoding = f.streamEncoding;
      break;
    case 'module':
      s.enc = ENC.MODULE;
      s.encoding = 'raw';
      break;
  }
  return s;
}

/** mirrors tryObjectEncoding (object.c) as called by rdbLoadObject */
function loadString(rec: KeyRecord, s: Shape): void {
  s.strLen = rec.length;
  if (rec.facts.integer) {
    s.enc = ENC.INT;
    s.encoding = 'int';
  } else if (rec.length <= EMBSTR_SIZE_LIMIT) {
    s.enc = ENC.EMBSTR;
    s.encoding = 'embstr';
  } else {
    s.enc = ENC.RAW;
    s.encoding = 'raw';
  }
}
