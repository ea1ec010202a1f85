/** The instance's INFO text: server, clients, memory (the modelled figures), persistence, stats, replication, cpu, modules, errorstats, cluster, keyspace. */
import os from 'node:os';
import type { Instance } from './instance.js';
import { memoryStats } from './memory.js';
import { valueAtPercentile } from './observe.js';

/** "%f" trimmed of its trailing zeros (trimDoubleString) */
function fmtPct(p: number): string {
  let t = p.toFixed(6);
  if (t.includes('.')) t = t.replace(/0+$/, '').replace(/\.$/, '');
  return t;
}

/** the sections of INFO with no argument and of INFO default */
export const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace'];
/** INFO all / everything add these */
export const ALL_SECTIONS = [...DEFAULT_SECTIONS, 'commandstats', 'latencystats'];

function human(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(2)}K`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)}M`;
  if (n < 1024 ** 4) return `${(n / 1024 ** 3).toFixed(2)}G`;
  return `${(n / 1024 ** 4).toFixed(2)}T`;
}

/** INFO's text for the wanted sections (genRedisInfoString, server.c 7.0) */
export function infoText(s: Instance, want: Set<string>): string {
  const out: string[] = [];
  const section = (name: string, lines: [string, string | number][]): void => {
    if (!want.has(name.toLowerCase())) return;
    if (out.length) out.push('');
    out.push(`# ${name}`);
    for (const [k, v] of lines) out.push(`${k}:${v}`);
  };
  const uptime = Math.floor((Date.now() - s.startedAt) / 1000);
  const mu = process.memoryUsage();
  section('Server', [
    ['redis_version', s.redisVersion()],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', 'rdblens'],
    ['redis_mode', 'standalone'],
    ['os', `${os.type()} ${os.release()} ${os.arch()}`],
    ['arch_bits', 64],
    ['multiplexing_api', 'node'],
    ['process_id', process.pid],
    ['run_id', s.runId],
    ['tcp_port', s.frontend?.port ?? 0],
    ['server_time_usec', Date.now() * 1000],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', 10],
    ['configured_hz', 10],
    ['executable', process.argv[1] ?? ''],
    ['config_file', ''],
    ['rdblens_version', s.version],
    ['rdblens_profile', s.profile.id],
    ['rdblens_dumps', s.files.join(',')],
  ]);
  const cl = s.frontend?.clientFigures() ?? { connected: 0, maxInput: 0, maxOutput: 0 };
  section('Clients', [
    ['connected_clients', cl.connected],
    ['cluster_connections', 0],
    ['maxclients', s.options.maxClients ?? 10000],
    ['client_recent_max_input_buffer', cl.maxInput],
    ['client_recent_max_output_buffer', cl.maxOutput],
    ['blocked_clients', s.blocking.count],
    ['tracking_clients', s.tracking.count],
    ['clients_in_timeout_table', s.blocking.timedCount],
  ]);
  if (want.has('memory')) {
    const m = memoryStats(s);
    const sm = s.scripting.memory();
    const startup = s.startupAllocated();
    const dataset = m.dataset;
    const net = m.used - startup;
    section('Memory', [
      ['used_memory', m.used],
      ['used_memory_human', human(m.used)],
      ['used_memory_rss', mu.rss],
      ['used_memory_rss_human', human(mu.rss)],
      ['used_memory_peak', m.peak],
      ['used_memory_peak_human', human(m.peak)],
      ['used_memory_peak_perc', `${((m.used * 100) / m.peak).toFixed(2)}%`],
      ['used_memory_overhead', m.overhead],
      ['used_memory_startup', startup],
      ['used_memory_dataset', dataset],
      ['used_memory_dataset_perc', `${net > 0 ? ((dataset * 100) / net).toFixed(2) : '0.00'}%`],
      ['allocator_allocated', m.used],
      ['allocator_active', m.used],
      ['allocator_resident', m.used],
      ['total_system_memory', os.totalmem()],
      ['total_system_memory_human', human(os.totalmem())],
      ['used_memory_lua', sm.vmEval],
      ['used_memory_vm_eval', sm.vmEval],
      ['used_memory_lua_human', human(sm.vmEval)],
      ['used_memory_scripts_eval', sm.scriptsEval],
      ['number_of_cached_scripts', sm.cachedScripts],
      ['number_of_functions', sm.numberOfFunctions],
      ['number_of_libraries', sm.numberOfLibraries],
      ['used_memory_vm_functions', sm.vmFunctions],
      ['used_memory_vm_total', sm.vmEval + sm.vmFunctions],
      ['used_memory_vm_total_human', human(sm.vmEval + sm.vmFunctions)],
      ['used_memory_functions', sm.functions],
      ['used_memory_scripts', sm.scriptsEval + sm.functions],
      ['used_memory_scripts_human', human(sm.scriptsEval + sm.functions)],
      ['maxmemory', s.eviction.config.maxmemory],
      ['maxmemory_human', human(s.eviction.config.maxmemory)],
      ['maxmemory_policy', s.eviction.config['maxmemory-policy']],
      ['allocator_frag_ratio', '1.00'],
      ['allocator_frag_bytes', 0],
      ['allocator_rss_ratio', '1.00'],
      ['allocator_rss_bytes', 0],
      ['rss_overhead_ratio', '1.00'],
      ['rss_overhead_bytes', 0],
      ['mem_fragmentation_ratio', '1.00'],
      ['mem_fragmentation_bytes', 0],
      ['mem_not_counted_for_evict', s.memNotCountedForEvict()],
      ['mem_replication_backlog', s.follower ? s.follower.replicationMemory().backlog : 0],
      ['mem_total_replication_buffers', 0],
      ['mem_clients_slaves', s.follower ? s.follower.replicationMemory().slaves : 0],
      ['mem_clients_normal', s.clientsMemory()],
      ['mem_cluster_links', 0],
      ['mem_aof_buffer', 0],
      ['mem_allocator', 'jemalloc-5.3.0'],
      ['active_defrag_running', 0],
      ['lazyfree_pending_objects', 0],
      ['lazyfreed_objects', 0],
      ['rdblens_process_heap_used', mu.heapUsed],
    ]);
  }
  section('Persistence', [
    ['loading', s.loading ? 1 : 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', 0],
    ['current_save_keys_total', 0],
    ['rdb_changes_since_last_save', s.dirty],
    ['rdb_bgsave_in_progress', s.persistence.bgsave ? 1 : 0],
    ['rdb_last_save_time', s.lastSave],
    ['rdb_last_bgsave_status', s.persistence.lastStatusOk ? 'ok' : 'err'],
    ['rdb_last_bgsave_time_sec', s.persistence.lastBgsaveSecs],
    ['rdb_current_bgsave_time_sec', s.persistence.bgsave ? Math.round((Date.now() - s.persistence.bgsaveStarted) / 1000) : -1],
    ['rdb_saves', s.persistence.saves],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', s.loadExpired],
    ['rdb_last_load_keys_loaded', s.loadedKeys],
    ['aof_enabled', 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_rewrite_time_sec', -1],
    ['aof_current_rewrite_time_sec', -1],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_rewrites', 0],
    ['aof_rewrites_consecutive_failures', 0],
    ['aof_last_write_status', 'ok'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ]);
  const st = s.stats;
  const ev = s.eviction.evictor;
  section('Stats', [
    ['total_connections_received', st.connectionsReceived],
    ['total_commands_processed', st.commandsProcessed],
    ['instantaneous_ops_per_sec', 0],
    ['total_net_input_bytes', st.netInput],
    ['total_net_output_bytes', st.netOutput],
    ['total_net_repl_input_bytes', 0],
    ['total_net_repl_output_bytes', 0],
    ['instantaneous_input_kbps', '0.00'],
    ['instantaneous_output_kbps', '0.00'],
    ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'],
    ['rejected_connections', st.rejectedConnections],
    ['sync_full', 0],
    ['sync_partial_ok', 0],
    ['sync_partial_err', 0],
    ['expired_keys', st.expiredKeys],
    ['expired_stale_perc', '0.00'],
    ['expired_time_cap_reached_count', 0],
    ['expire_cycle_cpu_milliseconds', 0],
    ['evicted_keys', ev.stats.evictedKeys],
    ['evicted_clients', s.counters.evictedClients],
    // ms, as genRedisInfoString divides the µs counters
    ['total_eviction_exceeded_time', Math.floor((ev.stats.totalEvictionExceededTime + ev.currentEvictionExceededTime()) / 1000)],
    ['current_eviction_exceeded_time', Math.floor(ev.currentEvictionExceededTime() / 1000)],
    ['keyspace_hits', st.hits],
    ['keyspace_misses', st.misses],
    ['pubsub_channels', s.pubsub.channels.size],
    ['pubsub_patterns', s.pubsub.patterns.size],
    ['pubsubshard_channels', s.pubsub.shardChannels.size],
    ['latest_fork_usec', 0],
    ['total_forks', 0],
    ['migrate_cached_sockets', 0],
    ['slave_expires_tracked_keys', 0],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', s.tracking.figures().keys],
    ['tracking_total_items', s.tracking.figures().items],
    ['tracking_total_prefixes', s.tracking.figures().prefixes],
    ['unexpected_error_replies', 0],
    ['total_error_replies', st.errorReplies],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', st.reads],
    ['total_writes_processed', 0],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['reply_buffer_shrinks', 0],
    ['reply_buffer_expands', 0],
  ]);
  section('Replication', s.follower ? s.follower.infoLines() : [
    ['role', 'master'],
    ['connected_slaves', 0],
    ['master_failover_state', 'no-failover'],
    ['master_replid', s.runId],
    ['master_replid2', '0000000000000000000000000000000000000000'],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_size', 1048576],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  ]);
  const cpu = process.cpuUsage();
  section('CPU', [
    ['used_cpu_sys', (cpu.system / 1e6).toFixed(6)],
    ['used_cpu_user', (cpu.user / 1e6).toFixed(6)],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', (cpu.system / 1e6).toFixed(6)],
    ['used_cpu_user_main_thread', (cpu.user / 1e6).toFixed(6)],
  ]);
  section('Modules', []);
  const obs = s.observe;
  if (want.has('commandstats')) {
    const lines: [string, string][] = [];
    for (const [name, st] of obs.commands) {
      if (st.calls === 0 && st.rejected === 0 && st.failed === 0) continue;
      const per = st.calls === 0 ? 0 : st.usec / st.calls;
      lines.push([`cmdstat_${name}`, `calls=${st.calls},usec=${Math.floor(st.usec)},usec_per_call=${per.toFixed(2)},rejected_calls=${st.rejected},failed_calls=${st.failed}`]);
    }
    section('Commandstats', lines);
  }
  // server.errors is a rax: its codes in byte order
  section('Errorstats', [...obs.errors].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, n]) => [`errorstat_${code}`, `count=${n}`]));
  if (want.has('latencystats')) {
    const ps = s.settings.percentiles;
    const lines: [string, string][] = [];
    for (const [name, st] of obs.commands) {
      if (!st.hist || st.histCount === 0) continue;
      lines.push([`latency_percentiles_usec_${name}`, ps.map((p) => `p${fmtPct(p)}=${(valueAtPercentile(st, p) / 1000).toFixed(3)}`).join(',')]);
    }
    section('Latencystats', lines);
  }
  section('Cluster', [['cluster_enabled', s.profile.config['cluster-enabled'] ? 1 : 0]]);
  const ks: [string, string][] = [];
  for (const [i, db] of s.dbs.entries()) {
    if (db.size === 0) continue;
    // the position, not db.index: SWAPDB exchanges the databases in place
    ks.push([`db${i}`, `keys=${db.size},expires=${db.expires},avg_ttl=${db.avgTtl()}`]);
  }
  section('Keyspace', ks);
  return out.join('\r\n') + '\r\n';
}
