/**
 * `rdblens doctor <dump...>`: MEMORY DOCTOR for the dump (shards summed): the largest keys and
 * tips, each with the bytes behind it. Text, or `--json` with the tips as data. See docs/cli.md.
 */
import { Command } from 'commander';
import { memoryDoctor } from '../../src/memory/doctor.js';
import { jsonDocument, type JsonValue } from '../../src/report/json.js';
import { analyzeFiles, failIfIncomplete, processIo, writeAll, type CommandIo } from '../common.js';
import { addCommonOptions, parseSize, type CommonOptionValues } from '../options.js';

export interface DoctorCommandOptions extends CommonOptionValues {
  json: boolean;
  maxmemory?: number;
}

export async function runDoctor(files: string[], o: DoctorCommandOptions, io: CommandIo = processIo()): Promise<void> {
  // the doctor reads the prefix tree of the aggregates
  const a = await analyzeFiles(files, o, { topN: 10, aggregates: true, io });
  const d = memoryDoctor(a.analyses, { maxmemory: o.maxmemory });
  const text = o.json
    ? jsonDocument({
        complete: a.analyses.every((x) => x.error === null),
        profile: a.analyses[0]?.profile.id ?? null,
        text: d.text,
        tips: d.tips as unknown as JsonValue,
      })
    : d.text.endsWith('\n')
      ? d.text
      : d.text + '\n';
  await writeAll(io.stdout, text);
  failIfIncomplete(a.analyses);
}

export function register(program: Command, io: () => CommandIo = processIo): void {
  const cmd = program
    .command('doctor')
    .description('MEMORY DOCTOR: the largest keys and what would save memory, with the bytes')
    .argument('<dump...>', 'RDB files (several: a cluster, summed over the shards)')
    .option('--json', 'JSON (the text and the tips as data)', false)
    .option('--maxmemory <size>', 'tip when a dump (used-mem or the estimate) is within 10% of this limit or over it', parseSize);
  addCommonOptions(cmd);
  cmd.action(async (files: string[], o: DoctorCommandOptions) => {
    await runDoctor(files, o, io());
  });
}
