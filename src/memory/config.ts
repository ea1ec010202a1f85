/**
 * `name=value` configuration overrides for a profile, with redis.conf names. The names Redis
 * used before 7.0 (*-ziplist-*) are accepted as aliases, as redis.conf still does.
 */
import type { ServerConfig } from './profiles.js';
import { DEFAULT_CONFIG } from './profiles.js';

type Key = keyof ServerConfig;

const ALIASES: Record<string, Key> = {
  'hash-max-ziplist-entries': 'hash-max-listpack-entries',
  'hash-max-ziplist-value': 'hash-max-listpack-value',
  'zset-max-ziplist-entries': 'zset-max-listpack-entries',
  'zset-max-ziplist-value': 'zset-max-listpack-value',
  'list-max-ziplist-size': 'list-max-listpack-size',
};

export class ConfigError extends Error {}

/** Parse `["hash-max-listpack-entries=1024", "cluster-enabled=yes", ...]`. */
export function parseConfigOverrides(items: readonly string[]): Partial<ServerConfig> {
  const out: Partial<Record<Key, number | boolean>> = {};
  for (const item of items) {
    const m = /^\s*([A-Za-z-]+)\s*[= ]\s*(\S+)\s*$/.exec(item);
    if (!m) throw new ConfigError(`config override "${item}" is not name=value`);
    const name = m[1]!.toLowerCase();
    const raw = m[2]!;
    const key = (ALIASES[name] ?? name) as Key;
    if (!(key in DEFAULT_CONFIG)) throw new ConfigError(`unknown config "${name}"`);
    if (typeof DEFAULT_CONFIG[key] === 'boolean') {
      const b = raw.toLowerCase();
      if (b !== 'yes' && b !== 'no') throw new ConfigError(`config "${name}" takes yes or no, not "${raw}"`);
      out[key] = b === 'yes';
      continue;
    }
    if (!/^-?\d+$/.test(raw)) throw new ConfigError(`config "${name}" takes an integer, not "${raw}"`);
    const v = Number(raw);
    if (key !== 'list-max-listpack-size' && v < 0) throw new ConfigError(`config "${name}" cannot be negative`);
    out[key] = v;
  }
  return out as Partial<ServerConfig>;
}
