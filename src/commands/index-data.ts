/**
 * The data commands of issue #12's strings, bitmaps, HyperLogLog, hashes, sets and generic
 * families, registered by index.ts (one spread there keeps the shared table's edits small).
 */
import type { Handler } from './spec.js';
import { handler as BITCOUNT } from './BITCOUNT.js';
import { handler as BITFIELD } from './BITFIELD.js';
import { handler as BITFIELD_RO } from './BITFIELD_RO.js';
import { handler as BITOP } from './BITOP.js';
import { handler as BITPOS } from './BITPOS.js';
import { handler as GETBIT } from './GETBIT.js';
import { handler as GETRANGE } from './GETRANGE.js';
import { handler as HRANDFIELD } from './HRANDFIELD.js';
import { handler as HSTRLEN } from './HSTRLEN.js';
import { handler as LCS } from './LCS.js';
import { handler as PFADD } from './PFADD.js';
import { handler as PFCOUNT } from './PFCOUNT.js';
import { handler as PFDEBUG } from './PFDEBUG.js';
import { handler as PFMERGE } from './PFMERGE.js';
import { handler as PFSELFTEST } from './PFSELFTEST.js';
import { handler as SDIFF } from './SDIFF.js';
import { handler as SINTER } from './SINTER.js';
import { handler as SINTERCARD } from './SINTERCARD.js';
import { handler as SMISMEMBER } from './SMISMEMBER.js';
import { handler as SRANDMEMBER } from './SRANDMEMBER.js';
import { handler as SUNION } from './SUNION.js';
import { handler as DUMP } from './DUMP.js';
import { handler as RESTORE } from './RESTORE.js';
import { handler as SORT } from './SORT.js';
import { handler as SORT_RO } from './SORT_RO.js';
import { handler as GEOADD } from './GEOADD.js';
import { handler as GEOPOS } from './GEOPOS.js';
import { handler as GEOHASH } from './GEOHASH.js';
import { handler as GEODIST } from './GEODIST.js';
import { handler as GEORADIUS } from './GEORADIUS.js';
import { handler as GEORADIUS_RO } from './GEORADIUS_RO.js';
import { handler as GEORADIUSBYMEMBER } from './GEORADIUSBYMEMBER.js';
import { handler as GEORADIUSBYMEMBER_RO } from './GEORADIUSBYMEMBER_RO.js';
import { handler as GEOSEARCH } from './GEOSEARCH.js';
import { handler as GEOSEARCHSTORE } from './GEOSEARCHSTORE.js';

export const DATA_COMMANDS: readonly [string, Handler][] = [
  ['bitcount', BITCOUNT],
  ['bitfield', BITFIELD],
  ['bitfield_ro', BITFIELD_RO],
  ['bitop', BITOP],
  ['bitpos', BITPOS],
  ['getbit', GETBIT],
  ['getrange', GETRANGE],
  ['substr', GETRANGE],
  ['hrandfield', HRANDFIELD],
  ['hstrlen', HSTRLEN],
  ['lcs', LCS],
  ['pfadd', PFADD],
  ['pfcount', PFCOUNT],
  ['pfdebug', PFDEBUG],
  ['pfmerge', PFMERGE],
  ['pfselftest', PFSELFTEST],
  ['sdiff', SDIFF],
  ['sinter', SINTER],
  ['sintercard', SINTERCARD],
  ['smismember', SMISMEMBER],
  ['srandmember', SRANDMEMBER],
  ['sunion', SUNION],
  ['dump', DUMP],
  ['restore', RESTORE],
  ['restore-asking', RESTORE],
  ['sort', SORT],
  ['sort_ro', SORT_RO],
  ['geoadd', GEOADD],
  ['geopos', GEOPOS],
  ['geohash', GEOHASH],
  ['geodist', GEODIST],
  ['georadius', GEORADIUS],
  ['georadius_ro', GEORADIUS_RO],
  ['georadiusbymember', GEORADIUSBYMEMBER],
  ['georadiusbymember_ro', GEORADIUSBYMEMBER_RO],
  ['geosearch', GEOSEARCH],
  ['geosearchstore', GEOSEARCHSTORE],
];
