/** The instance's configuration as CONFIG GET reports it. */
import type { Instance } from './instance.js';

/** the configuration CONFIG GET reports: the profile's encoding limits and fixed answers */
export function configValues(s: Instance): Map<string, string> {
  const p = s.profile.config;
  const m = new Map<string, string>();
  const yesno = (b: boolean): string => (b ? 'yes' : 'no');
  m.set('databases', String(s.dbs.length));
  m.set('port', String(s.frontend?.port ?? 0));
  m.set('bind', s.options.host ?? '127.0.0.1');
  m.set('requirepass', s.requirepass ?? '');
  m.set('protected-mode', s.protectedMode ? 'yes' : 'no');
  m.set('maxclients', String(s.options.maxClients ?? 10000));
  for (const [k, v] of s.eviction.values()) m.set(k, v);
  m.set('save', '');
  m.set('appendonly', 'no');
  m.set('dbfilename', 'dump.rdb');
  m.set('dir', s.options.dir ?? process.cwd());
  m.set('hz', '10');
  m.set('timeout', '0');
  m.set('tcp-keepalive', '300');
  m.set('replica-read-only', 'yes');
  m.set('slave-read-only', 'yes');
  m.set('cluster-enabled', yesno(p['cluster-enabled']));
  m.set('proto-max-bulk-len', String(s.limits.maxBulkLen));
  m.set('client-query-buffer-limit', String(s.limits.queryBufferLimit));
  m.set('client-output-buffer-limit', `normal ${s.options.outputBufferLimit ?? 0} 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60`);
  m.set('lazyfree-lazy-user-del', 'no');
  m.set('activerehashing', 'yes');
  for (const [k, v] of Object.entries(p)) if (typeof v === 'number') m.set(k, String(v));
  if (s.profile.version >= 700) {
    m.set('hash-max-ziplist-entries', String(p['hash-max-listpack-entries']));
    m.set('hash-max-ziplist-value', String(p['hash-max-listpack-value']));
    m.set('zset-max-ziplist-entries', String(p['zset-max-listpack-entries']));
    m.set('zset-max-ziplist-value', String(p['zset-max-listpack-value']));
    m.set('list-max-ziplist-size', String(p['list-max-listpack-size']));
  }
  return m;
}
