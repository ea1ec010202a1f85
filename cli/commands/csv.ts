/**
 * `rdblens csv <dump...> [-o file]`: one CSV row per key, redis-rdb-tools' memory-report columns
 * first. See docs/cli.md.
 */
import type { Writable } from 'node:stream';
import { Command, Option } from 'commander';
import { csvLine, keyCsvHeader } from '../../src/report/csv.js';
import { analyzeFiles, failIfIncomplete, processIo, readHeaders, type CommandIo } from '../common.js';
import { addCommonOptions, analysisSpec, collectStrings, type CommonOptionValues } from '../options.js';
import { OrderedOutput } from '../ordered-output.js';
import { runCsvParquet } from '../parquet-export.js';
import { openOutput } from '../output.js';

export interface CsvCommandOptions extends CommonOptionValues {
  output?: string;
  extra: boolean;
  /** 'parquet': one typed Parquet table (cli/parquet-export.ts) */
  format?: 'csv' | 'parquet';
  shard?: string[];
}

export async function runCsv(files: string[], o: CsvCommandOptions, io: CommandIo = processIo()): Promise<void> {
  if (o.format === 'parquet') return runCsvParquet(files, o, io);
  const spec = analysisSpec(o, 0);
  // the inputs first: no output file is made for a missing dump
  const headers = await readHeaders(files, spec);
  const out = o.output !== undefined && o.output !== '-' ? await openOutput(o.output) : io.stdout;
  const output = new OrderedOutput(out, files.length);
  const withFile = files.length > 1;
  try {
    const { passes } = await analyzeFiles(files, o, {
      spec,
      headers,
      mode: 'keys',
      // the CSV header once the inputs are known good
      onReady: () => output.direct(csvLine(keyCsvHeader({ extra: o.extra, withFile }))),
      topN: 0,
      aggregates: false,
      io,
      csv: {
        options: { escape: o.escape, extra: o.extra, withFile, now: spec.now, separators: spec.separators, depth: spec.depth },
        output,
      },
    });
    // the rows written are the keys that passed the filters (--largest: at most that many)
    failIfIncomplete(passes, (p) => (spec.largest !== undefined ? Math.min(p.keys, spec.largest) : p.keys));
  } finally {
    output.cleanup();
    if (out !== io.stdout) await new Promise<void>((resolve) => (out as Writable).end(resolve));
  }
}

const HELP_AFTER = `
Columns (redis-rdb-tools' memory report):
  database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry
  size_in_bytes  MEMORY USAGE on the target server (empty for module values: unknown)
  encoding       OBJECT ENCODING after the server loads the dump
  expiry         ISO-8601 UTC, empty without a TTL
with --extra also: prefix,ttl,key_length,profile (and file when several dumps).
Fields starting with = + - @ are prefixed with ' (CSV injection). Details: docs/cli.md
--format parquet: one typed Parquet table with every column above plus key_bytes (exact),
  shard, slot, expired and prefix1..prefix<depth> (docs/fleet.md).`;

export function register(program: Command, io: () => CommandIo = processIo): void {
  const cmd = program
    .command('csv')
    .description('one CSV row per key: size, encoding, elements, expiry')
    .argument('<dump...>', 'RDB files (several: a cluster, one per master)')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .option('--extra', 'add prefix, ttl, key_length, profile (and file) columns', false)
    .addOption(new Option('--format <format>', 'csv, or parquet (typed columns, all of them)').choices(['csv', 'parquet']).default('csv'))
    .option('--shard <name>', 'with --format parquet: the shard column (once per dump; default the file)', collectStrings);
  addCommonOptions(cmd);
  cmd.addHelpText('after', HELP_AFTER).action(async (files: string[], o: CsvCommandOptions) => {
    await runCsv(files, o, io());
  });
}
