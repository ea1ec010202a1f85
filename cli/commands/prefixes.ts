/**
 * `rdblens prefixes <dump...>`: memory by key prefix (text table, `--json` or `--csv`).
 * See docs/cli.md.
 */
import { Command, Option } from 'commander';
import { tableCsv } from '../../src/report/csv.js';
import { jsonDocument, tableJson } from '../../src/report/json.js';
import { prefixTable } from '../../src/report/rows.js';
import { renderTable } from '../../src/report/text.js';
import { analyzeFiles, failIfIncomplete, modelOf, processIo, textStyle, writeAll, type CommandIo } from '../common.js';
import { addCommonOptions, parsePositiveInt, type CommonOptionValues } from '../options.js';

export interface PrefixesOptions extends CommonOptionValues {
  json: boolean;
  csv: boolean;
  /** rows; undefined: 50 in text, all in JSON and CSV */
  limit?: number;
}

export async function runPrefixes(files: string[], o: PrefixesOptions, io: CommandIo = processIo()): Promise<void> {
  const a = await analyzeFiles(files, o, { topN: 0, aggregates: true, io });
  const model = modelOf(a);
  const limit = o.limit ?? (o.json || o.csv ? undefined : 50);
  const table = prefixTable(model, limit);
  let text: string;
  if (o.json) {
    text = jsonDocument({
      complete: model.complete,
      separators: a.spec.separators,
      depth: a.spec.depth,
      total_keys: model.total.keys,
      total_bytes: model.total.bytes,
      note: table.note ?? null,
      prefixes: tableJson(table, o.escape),
    });
  } else if (o.csv) text = tableCsv(table, o.escape);
  else text = renderTable(table, textStyle(o, io.stdout as NodeJS.WriteStream)).join('\n') + '\n';
  await writeAll(io.stdout, text);
  failIfIncomplete(a.analyses);
}

export function register(program: Command, io: () => CommandIo = processIo): void {
  const cmd = program
    .command('prefixes')
    .description('memory by key prefix: keys, bytes, share, mean per key, what has no TTL')
    .argument('<dump...>', 'RDB files (several: a cluster, one per master)')
    .addOption(new Option('--json', 'JSON instead of text').conflicts('csv'))
    .addOption(new Option('--csv', 'CSV instead of text'))
    .option('-n, --limit <n>', 'largest prefixes listed (default: 50 in text, all in JSON/CSV)', parsePositiveInt('a count'));
  addCommonOptions(cmd, { color: true });
  cmd.action(async (files: string[], o: PrefixesOptions) => {
    await runPrefixes(files, { ...o, json: o.json === true, csv: o.csv === true }, io());
  });
}
