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
  'hash-max-listpack-entries': 128,
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

const VERSIONS: Record<ProfileId, { version: number; valkey: boolean }> = {
  'redis-5.0': { version: 500, valkey: false },
  'redis-6.2': { version: 602, valkey: false },
  'redis-7.0': { version: 700, valkey: false },
  'redis-7.2': { version: 702, valkey: false },
  'redis-7.4': { version: 704, valkey: false },
  'redis-8.0': { version: 800, valkey: false },
  'valkey-8.0': { version: 800, valkey: true },
};

export const PROFILE_IDS = Object.keys(VERSIONS) as ProfileId[];

export function profile(id: ProfileId, config: Partial<ServerConfig> = {}): ServerProfile {
  const v = VERSIONS[id];
  return { id, version: v.version, valkey: v.valkey, config: { ...DEFAULT_CONFIG, ...config } };
}
