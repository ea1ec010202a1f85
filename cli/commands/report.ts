/**
 * `rdblens report <dump...>`: where the memory goes, as a terminal summary or one JSON document
 * (`--json`). See docs/cli.md.
 */
import { Command } from 'commander';
import { memoryDoctor } from '../../src/memory/doctor.js';
import { memoryStats } from '../../src/memory/stats.js';
import { reportJson, reportText, type ReportInput } from '../../src/report/report.js';
import { analyzeFiles, failIfIncomplete, modelOf, processIo, textStyle, writeAll, type CommandIo } from '../common.js';
import { addCommonOptions, parseNonNegativeInt, type CommonOptionValues } from '../options.js';

export interface ReportOptions extends CommonOptionValues {
  json: boolean;
  top: number;
  prefixes: number;
}

export async function runReport(files: string[], o: ReportOptions, io: CommandIo = processIo()): Promise<void> {
  const a = await analyzeFiles(files, o, { topN: Math.max(o.top, 10), aggregates: true, io });
  const input: ReportInput = {
    model: modelOf(a),
    stats: memoryStats(a.analyses),
    doctor: memoryDoctor(a.analyses).text,
    topKeys: o.top,
    topPrefixes: o.prefixes,
  };
  const text = o.json ? reportJson(input, o.escape) : reportText(input, textStyle(o, io.stdout as NodeJS.WriteStream));
  await writeAll(io.stdout, text);
  failIfIncomplete(a.analyses);
}

export function register(program: Command, io: () => CommandIo = processIo): void {
  const cmd = program
    .command('report')
    .description('where the memory goes: stats, doctor, top keys, types, prefixes, TTLs, shards')
    .argument('<dump...>', 'RDB files (several: a cluster, one per master)')
    .option('--json', 'one JSON document instead of text', false)
    .option('-n, --top <n>', 'largest keys listed', parseNonNegativeInt('a count'), 10)
    .option('--prefixes <n>', 'prefixes listed', parseNonNegativeInt('a count'), 10);
  addCommonOptions(cmd, { color: true });
  cmd.action(async (files: string[], o: ReportOptions) => {
    await runReport(files, o, io());
  });
}
