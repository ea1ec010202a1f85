/**
 * MEMORY USAGE of a stream value: what objectComputeSize (object.c) returns for OBJ_STREAM with
 * SAMPLES 0 on the profile's server, sizeof(robj) included; the key name and the main dict
 * entry are not (the memory core adds those).
 *
 * The OBJ_STREAM branch is the same estimate on every version from 5.0 to 8.0 (Valkey 8.0
 * included), only the struct sizes and the listpack measure change:
 *
 *   sizeof(robj)                                       16
 * + sizeof(stream)                                     6.2: 40, 7.0+: 80 (first_id,
 *                                                      max_deleted_entry_id, entries_added);
 *                                                      5.0 does not count it
 * + streamRadixTreeMemoryUsage(node rax)               numele*16 + numnodes*(4 + 30*8)
 * + every node listpack                                5.0: lpBytes (the stored size);
 *                                                      6.2+: zmalloc_size(lp) (loaded blobs
 *                                                      are allocated at exactly their size)
 * + per consumer group: sizeof(streamCG)               5.0/6.2: 32, 7.0+: 40 (entries_read)
 *     + streamRadixTreeMemoryUsage(group PEL)
 *     + sizeof(streamNACK) * PEL entries               24
 *     + per consumer: sizeof(streamConsumer)           up to 7.0: 24, 7.2+: 32 (active_time)
 *         + sdslen(name)                               the name length, not its allocation
 *         + streamRadixTreeMemoryUsage(consumer PEL)   (NACKs are shared, not counted again)
 *
 * numnodes comes from raxNodeCount (the tree RDB loading builds). With SAMPLES 0 every
 * listpack is measured, so the "average of the first N" shortcut never applies. zmalloc_size
 * depends on the build's jemalloc quantum (p.build): a 39-byte listpack is 40 on the release
 * builds, 48 on Debian's 7.0.15.
 *
 * This predicts a server that has just loaded the dump. A server that wrote the entries itself
 * reports more for its last node, whose listpack still carries the room preallocated when it
 * was created (measured on 7.0.15: about 2.8 KB for a 5000-entry stream).
 */
import type { StreamFacts } from '../rdb/stream.js';
import { mallocSize, mallocSizeQuantum8 } from './jemalloc.js';
import type { ServerProfile } from './profiles.js';
import { raxNodeCount } from './rax.js';

const SIZEOF_ROBJ = 16;
const SIZEOF_STREAM_ID = 16;
const SIZEOF_RAX_NODE = 4; // the raxNode header bitfield
const SIZEOF_LONG = 8;
const SIZEOF_STREAM_NACK = 24; // delivery_time, delivery_count, consumer

/** streamRadixTreeMemoryUsage (object.c, 5.0 .. 8.0): a rough guess per key and node, not allocations. */
export function streamRaxMemoryUsage(numele: number, numnodes: number): number {
  // mirrors streamRadixTreeMemoryUsage (object.c, 5.0-8.0)
  return numele * SIZEOF_STREAM_ID + numnodes * (SIZEOF_RAX_NODE + SIZEOF_LONG * 30);
}

/** sizeof(stream): 5.0 leaves it out of MEMORY USAGE, 6.2 counts 40 bytes, 7.0 grew it to 80. */
function streamStructSize(v: number): number {
  if (v < 602) return 0;
  return v < 700 ? 40 : 80;
}

export function streamObjectSize(facts: StreamFacts, p: ServerProfile): number {
  const v = p.version;
  let size = SIZEOF_ROBJ + streamStructSize(v);
  size += streamRaxMemoryUsage(facts.nodes, raxNodeCount(facts.nodeKeys));
  const bytes = facts.nodeBytes;
  if (v < 602) {
    for (let i = 0; i < bytes.length; i++) size += bytes[i]!; // lpBytes (object.c, 5.0)
  } else {
    for (let i = 0; i < bytes.length; i++) size += zmallocSize(bytes[i]!, p); // zmalloc_size(lp) (object.c, 6.2+)
  }
  const cgSize = v < 700 ? 32 : 40;
  const consumerSize = v < 702 ? 24 : 32;
  for (const g of facts.groups) {
    size += cgSize + streamRaxMemoryUsage(g.pelCount, raxNodeCount(g.pelIds)) + SIZEOF_STREAM_NACK * g.pelCount;
    for (const c of g.consumers) {
      size += consumerSize + c.nameLength + streamRaxMemoryUsage(c.pelCount, raxNodeCount(c.pelIds));
    }
  }
  return size;
}

/**
 * zmalloc_size on the profile's build: the bundled jemalloc (--with-lg-quantum=3) has 8-byte
 * classes up to 64 bytes, a system jemalloc (Debian's 7.0.15) 16-byte ones.
 */
function zmallocSize(n: number, p: ServerProfile): number {
  return p.build.jemallocQuantum === 8 ? mallocSizeQuantum8(n) : mallocSize(n);
}
