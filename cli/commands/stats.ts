/**
 * `rdblens stats <dump...>`: MEMORY STATS of a server that has loaded the dump (shards summed),
 * printed as redis-cli prints the reply, or as JSON. See docs/cli.md and docs/memory-stats.md.
 */
import { Command } from 'commander';
import { memoryStats } from '../../src/memory/stats.js';
import { jsonDocument } from '../../src/report/json.js';
import { memoryStatsJson, memoryStatsLines } from '../../src/report/stats.js';
import { analyzeFiles, failIfIncomplete, processIo, writeAll, type CommandIo } from '../common.js';
import { addCommonOptions, type CommonOptionValues } from '../options.js';

export interface StatsOptions extends CommonOptionValues {
  json: boolean;
}

export async function runStats(files: string[], o: StatsOptions, io: CommandIo = processIo()): Promise<void> {
  const a = await analyzeFiles(files, o, { topN: 0, aggregates: false, io });
  const stats = memoryStats(a.analyses);
  const text = o.json
    ? jsonDocument({
        complete: a.analyses.every((x) => x.error === null),
        profile: a.analyses[0]?.profile.id ?? null,
        memory_stats: memoryStatsJson(stats),
        estimated: stats.estimated,
        dataset_by_type: stats.datasetByType,
      })
    : memoryStatsLines(stats).join('\n') + '\n';
  await writeAll(io.stdout, text);
  failIfIncomplete(a.analyses);
}

export function register(program: Command, io: () => CommandIo = processIo): void {
  const cmd = program
    .command('stats')
    .description('MEMORY STATS of a server that loads the dump (estimate)')
    .argument('<dump...>', 'RDB files (several: a cluster, summed over the shards)')
    .option('--json', 'JSON instead of redis-cli text', false);
  addCommonOptions(cmd, { prefixes: false });
  cmd.action(async (files: string[], o: StatsOptions) => {
    await runStats(files, o, io());
  });
}
