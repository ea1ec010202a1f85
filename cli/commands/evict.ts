/**
 * `rdblens evict <dump...> --maxmemory <size> --policy <policy>`: which keys a server that loaded
 * the dump would evict to get under the limit (src/engine/evict-dump.ts), by prefix, type, db and
 * idle time / counter / TTL, the largest victims and what is left; `--json`, or `--csv` of the
 * victims in eviction order in the CSV report's columns. See docs/eviction.md.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadForEviction, runEviction, type EvictMode } from '../../src/engine/evict-dump.js';
import { DEFAULT_EVICTION_CONFIG, MAXMEMORY_POLICIES, type EvictionConfig, type MaxmemoryPolicy } from '../../src/memory/evict.js';
import { evictSummary, headline, victimOverlap, victimRows } from '../../src/report/evict.js';
import { csvLine, keyCsvHeader, KeyCsvFormatter } from '../../src/report/csv.js';
import { jsonDocument, tableJson, round4, type JsonValue } from '../../src/report/json.js';
import { renderTable, paint } from '../../src/report/text.js';
import { formatBytes, formatCount } from '../../src/report/format.js';
import { processIo, readHeaders, textStyle, writeAll, type CommandIo } from '../common.js';
import { addCommonOptions, analysisSpec, parseNonNegativeInt, parsePositiveInt, parseSize, type CommonOptionValues } from '../options.js';

export interface EvictCommandOptions extends CommonOptionValues {
  maxmemory: number;
  policy: MaxmemoryPolicy;
  samples: number;
  mode: EvictMode;
  lfuDecayTime: number;
  lfuLogFactor: number;
  seed: number;
  top: number;
  json: boolean;
  csv: boolean;
  extra: boolean;
}

export async function runEvict(files: string[], o: EvictCommandOptions, io: CommandIo = processIo()): Promise<void> {
  const headers = await readHeaders(files, { target: o.target });
  // evictions run when the dumps were saved unless --now says otherwise
  let saved = 0;
  for (const h of headers) {
    const c = Number(h.aux.ctime);
    if (Number.isFinite(c) && c > 0) saved = Math.max(saved, c * 1000);
  }
  const now = o.now ?? (saved > 0 ? saved : Date.now());
  const spec = analysisSpec({ ...o, now }, 0);
  const eviction: EvictionConfig = {
    ...DEFAULT_EVICTION_CONFIG,
    maxmemory: o.maxmemory,
    'maxmemory-policy': o.policy,
    'maxmemory-samples': o.samples,
    'lfu-decay-time': o.lfuDecayTime,
    'lfu-log-factor': o.lfuLogFactor,
  };
  const servers = await loadForEviction(files, {
    ...(spec.target ? { target: spec.target } : {}),
    config: spec.config,
    filter: spec.filter,
    eviction,
    now,
  });
  const other = runEviction(servers, o.mode === 'exact' ? 'sampled' : 'exact', now, o.seed);
  const otherKeys = other.evictedKeys;
  const otherBytes = other.evictedBytes;
  const otherVictims = servers.map((s) => s.victims);
  const run = runEviction(servers, o.mode, now, o.seed);
  const overlap = victimOverlap(servers.map((s) => s.victims), otherVictims);
  const sum = evictSummary(run, { separators: spec.separators, depth: spec.depth, top: o.top });
  if (o.csv) {
    const fmt = new KeyCsvFormatter({
      escape: o.escape,
      extra: o.extra,
      withFile: files.length > 1,
      now,
      separators: spec.separators,
      depth: spec.depth,
      files: servers.map((s) => ({ file: s.analysis?.file ?? '', profile: s.analysis?.profile.id ?? '' })),
    });
    let text = csvLine(keyCsvHeader({ extra: o.extra, withFile: files.length > 1 }));
    for (const r of victimRows(run)) text += fmt.line(r);
    await writeAll(io.stdout, text);
    return;
  }
  const otherName = o.mode === 'exact' ? 'sampled' : 'exact';
  if (o.json) {
    const doc: Record<string, JsonValue> = {
      complete: true,
      profile: servers[0]?.analysis?.profile.id ?? null,
      policy: o.policy,
      maxmemory: o.maxmemory,
      mode: o.mode,
      maxmemory_samples: o.samples,
      lfu_decay_time: o.lfuDecayTime,
      now: new Date(now).toISOString(),
      used_memory_before: sum.usedBefore,
      used_memory_after: sum.usedAfter,
      evicted_keys: sum.evictedKeys,
      evicted_bytes: sum.evictedBytes,
      surviving_keys: sum.survivingKeys,
      surviving_bytes: sum.survivingBytes,
      still_over_limit: sum.failed,
      servers: run.servers.map((s) => ({
        file: s.file,
        keys: s.server.keys,
        keys_with_lru_idle: s.server.withIdle,
        keys_with_lfu_freq: s.server.withFreq,
        used_memory_before: s.usedBefore,
        used_memory_after: s.usedAfter,
        to_free: s.tofree,
        evicted_keys: s.server.victims.length,
        evicted_bytes: s.server.victims.reduce((a, v) => a + v.freed, 0),
        still_over_limit: s.failed,
      })),
      [`${otherName}_mode`]: { evicted_keys: otherKeys, evicted_bytes: otherBytes, overlap: round4(overlap) },
      notes: sum.notes,
    };
    for (const t of sum.tables) doc[t.id] = tableJson(t, o.escape);
    await writeAll(io.stdout, jsonDocument(doc));
    return;
  }
  const style = textStyle(o, io.stdout as NodeJS.WriteStream);
  const lines = [...headline(run, sum)];
  if (sum.evictedKeys > 0 || otherKeys > 0)
    lines.push(`${otherName} mode: ${formatCount(otherKeys)} keys, ${formatBytes(otherBytes)}; ${(overlap * 100).toFixed(1)}% of the ${o.mode} victims are among its victims`);
  for (const n of sum.notes) lines.push(paint(style, 'yellow', `note: ${n}`));
  for (const t of sum.tables) lines.push('', ...renderTable(t, style));
  await writeAll(io.stdout, lines.join('\n') + '\n');
}

function parsePolicy(text: string): MaxmemoryPolicy {
  const p = text.trim().toLowerCase();
  if (!(MAXMEMORY_POLICIES as string[]).includes(p)) throw new InvalidArgumentError(`expected one of ${MAXMEMORY_POLICIES.join(', ')}`);
  return p as MaxmemoryPolicy;
}

const HELP_AFTER = `
The server is taken to have loaded the dump when it was saved (aux ctime) and to evict at --now
(default: that save time): LRU idle times grow and LFU counters decay (lfu-decay-time) in between.
used_memory starts at the modelled used_memory after load (MEMORY STATS total.allocated).
--mode sampled runs Redis's algorithm (eviction pool, maxmemory-samples, seeded); exact evicts
in the order it approximates. The report compares the two. Details: docs/eviction.md`;

export function register(program: Command, io: () => CommandIo = processIo): void {
  const cmd = program
    .command('evict')
    .description('which keys a maxmemory limit would evict from a server loaded with the dump')
    .argument('<dump...>', 'RDB files (several: a cluster, one server per dump, each with the limit)')
    .requiredOption('--maxmemory <size>', 'the limit (e.g. 100mb, 2gb; k=1000, kb=1024)', parseSize)
    .addOption(new Option('--policy <policy>', `maxmemory-policy: ${MAXMEMORY_POLICIES.join(', ')}`).argParser(parsePolicy).makeOptionMandatory())
    .option('--samples <n>', 'maxmemory-samples', parsePositiveInt('a sample count'), 5)
    .addOption(new Option('--mode <mode>', 'sampled (as Redis) or exact order').choices(['sampled', 'exact']).default('sampled'))
    .option('--lfu-decay-time <minutes>', 'lfu-decay-time', parseNonNegativeInt('minutes'), 1)
    .option('--lfu-log-factor <n>', 'lfu-log-factor', parseNonNegativeInt('a factor'), 10)
    .option('--seed <n>', 'seed of the sampling', parseNonNegativeInt('a seed'), 1)
    .option('--top <n>', 'rows of the prefix and largest-victim tables', parsePositiveInt('a count'), 20)
    .addOption(new Option('--json', 'JSON instead of text').conflicts('csv'))
    .addOption(new Option('--csv', 'the evicted keys as CSV, in eviction order'))
    .option('--extra', 'with --csv: prefix, ttl, key_length, profile columns', false);
  addCommonOptions(cmd, { color: true, jobs: false });
  cmd.addHelpText('after', HELP_AFTER).action(async (files: string[], o: EvictCommandOptions) => {
    await runEvict(files, { ...o, json: o.json === true, csv: o.csv === true }, io());
  });
}
