/**
 * Server profiles: which server's memory layout a MEMORY USAGE estimate models.
 */

export type ProfileId = 'redis-5.0' | 'redis-6.2' | 'redis-7.0' | 'redis-7.2' | 'redis-7.4' | 'redis-8.0' | 'valkey-8.0';

export interface ServerProfile {
  id: ProfileId;
  /** major * 100 + minor, e.g. 702 for 7.2 (Valkey 8.0 is 800 with valkey set) */
  version: number;
  valkey: boolean;
  /** the server's configuration as far as it changes encodings and sizes (defaults + --config) */
  config: ServerConfig;
  /** how the server binary was built, as far as it changes allocation sizes */
  build: BuildOptions;
}

/** Build properties that change what zmalloc_size returns. */
export interface BuildOptions {
  /**
   * jemalloc's quantum: 8 when Redis/Valkey is built with its bundled jemalloc (configured with
   * --with-lg-quantum=3, deps/Makefile), 16 for a distribution package linking the system
   * jemalloc (Debian's redis-server, the live test server here).
   */
  jemallocQuantum: 8 | 16;
}

/** Configuration values that decide encodings on load. Names as in redis.conf. */
export interface ServerConfig {
  'hash-max-listpack-entries': number;
  'hash-max-listpack-value': number;
  'set-max-intset-entries': number;
  'set-max-listpack-entries': number;
  'set-max-listpack-value': number;
  'zset-max-listpack-entries': number;
  'zset-max-listpack-value': number;
  'list-max-listpack-size': number;
  'list-compress-depth': number;
  'stream-node-max-bytes': number;
  'stream-node-max-entries': number;
  /** cluster mode adds per-key slot bookkeeping on some versions */
  'cluster-enabled': boolean;
}

export const DEFAULT_CONFIG: ServerConfig = {
  'hash-max-listpack-entries': 512,
  'hash-max-listpack-value': 64,
  'set-max-intset-entries': 512,
  'set-max-listpack-entries': 128,
  'set-max-listpack-value': 64,
  'zset-max-listpack-entries': 128,
  'zset-max-listpack-value': 64,
  'list-max-listpack-size': -2,
  'list-compress-depth': 0,
  'stream-node-max-bytes': 4096,
  'stream-node-max-entries': 100,
  'cluster-enabled': false,
};

/**
 * Versions, and the build each profile assumes by default: the servers of the RDB corpus
 * (release tags built with the bundled jemalloc, except 7.0.15, Debian bookworm's package).
 */
const VERSIONS: Record<ProfileId, { version: number; valkey: boolean; quantum: 8 | 16 }> = {
  'redis-5.0': { version: 500, valkey: false, quantum: 8 },
  'redis-6.2': { version: 602, valkey: false, quantum: 8 },
  'redis-7.0': { version: 700, valkey: false, quantum: 16 },
  'redis-7.2': { version: 702, valkey: false, quantum: 8 },
  'redis-7.4': { version: 704, valkey: false, quantum: 8 },
  'redis-8.0': { version: 800, valkey: false, quantum: 8 },
  'valkey-8.0': { version: 800, valkey: true, quantum: 8 },
};

export const PROFILE_IDS = Object.keys(VERSIONS) as ProfileId[];

export function profile(id: ProfileId, config: Partial<ServerConfig> = {}, build: Partial<BuildOptions> = {}): ServerProfile {
  const v = VERSIONS[id];
  return {
    id,
    version: v.version,
    valkey: v.valkey,
    config: { ...DEFAULT_CONFIG, ...config },
    build: { jemallocQuantum: v.quantum, ...build },
  };
}

/**
 * The profile nearest to the server that wrote a dump, from its `redis-ver` / `valkey-ver` AUX
 * fields (`rdbVersion` decides when neither is present). Versions between two profiles take the
 * older one, pre-release numbers the release they lead to (7.1.x: 7.2, 7.3.x: 7.4, 7.9.x: 8.0).
 */
export function profileForRedisVersion(redisVer: string, valkeyVer?: string, rdbVersion?: number): ProfileId {
  if (valkeyVer) {
    const [major] = parseVersion(valkeyVer);
    return major >= 8 ? 'valkey-8.0' : 'redis-7.2';
  }
  if (redisVer) {
    const [major, minor] = parseVersion(redisVer);
    const v = major * 100 + minor;
    if (v >= 709) return 'redis-8.0';
    if (v >= 703) return 'redis-7.4';
    if (v >= 701) return 'redis-7.2';
    if (v >= 700) return 'redis-7.0';
    if (v >= 600) return 'redis-6.2';
    return 'redis-5.0';
  }
  // no AUX fields (RDB < 7): the oldest server that reads the format
  if (rdbVersion === undefined || rdbVersion <= 9) return 'redis-5.0';
  if (rdbVersion === 10) return 'redis-7.0';
  if (rdbVersion === 11) return 'redis-7.2';
  return 'redis-7.4';
}

function parseVersion(v: string): [number, number] {
  const m = /^(\d+)(?:\.(\d+))?/.exec(v.trim());
  if (!m) return [0, 0];
  return [Number(m[1]), Number(m[2] ?? 0)];
}

/**
 * The release each profile stands for: what HELLO and INFO redis_version report (Valkey 8.0
 * reports redis_version 7.2.4 for compatibility).
 */
const RELEASES: Record<ProfileId, string> = {
  'redis-5.0': '5.0.14',
  'redis-6.2': '6.2.14',
  'redis-7.0': '7.0.15',
  'redis-7.2': '7.2.6',
  'redis-7.4': '7.4.1',
  'redis-8.0': '8.0.0',
  'valkey-8.0': '7.2.4',
};

/** the redis_version the profile's server reports */
export function redisVersionOf(p: ServerProfile): string {
  return RELEASES[p.id];
}

/** What a fresh server allocates before loading anything, and what loading and one client add. */
export interface StartupMemory {
  /** used_memory_startup (MEMORY STATS startup.allocated) */
  startup: number;
  /** used_memory minus used_memory_startup after loading an empty dump with one client */
  afterLoad: number;
  /** functions.caches of an empty function library set, and per library (7.0+) */
  functionsEmpty: number;
  perLibrary: number;
}

/**
 * Per profile: used_memory_startup, and used_memory minus used_memory_startup, of the RDB
 * corpus's empty dumps loaded by each server (median over the loads; jemalloc builds as in
 * VERSIONS above). Not derivable from the source: they depend on the build, the configuration
 * and the libraries linked. The dump model (stats.ts) and the live model (src/instance) both
 * start from these.
 */
const STARTUP: Record<ProfileId, StartupMemory> = {
  'redis-5.0': { startup: 791688, afterLoad: 61920, functionsEmpty: 0, perLibrary: 0 },
  'redis-6.2': { startup: 812224, afterLoad: 61984, functionsEmpty: 0, perLibrary: 0 },
  'redis-7.0': { startup: 876456, afterLoad: 63160, functionsEmpty: 200, perLibrary: 220 },
  'redis-7.2': { startup: 866152, afterLoad: 63232, functionsEmpty: 184, perLibrary: 200 },
  'redis-7.4': { startup: 946536, afterLoad: 63232, functionsEmpty: 192, perLibrary: 200 },
  'redis-8.0': { startup: 946560, afterLoad: 63232, functionsEmpty: 192, perLibrary: 200 },
  'valkey-8.0': { startup: 912296, afterLoad: 42752, functionsEmpty: 184, perLibrary: 200 },
};

export function startupMemory(p: ServerProfile): StartupMemory {
  return STARTUP[p.id];
}
