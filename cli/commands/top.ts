/**
 * `rdblens top <dump...> [-n N] [--by memory|elements]`: the largest keys. See docs/cli.md.
 */
import { Command, Option } from 'commander';
import { tableCsv } from '../../src/report/csv.js';
import { jsonDocument, tableJson } from '../../src/report/json.js';
import { topKeysTable, type TopBy } from '../../src/report/rows.js';
import { renderTable } from '../../src/report/text.js';
import { analyzeFiles, failIfIncomplete, modelOf, processIo, textStyle, writeAll, type CommandIo } from '../common.js';
import { addCommonOptions, parsePositiveInt, type CommonOptionValues } from '../options.js';

export interface TopOptions extends CommonOptionValues {
  json: boolean;
  csv: boolean;
  count: number;
  by: TopBy;
}

export async function runTop(files: string[], o: TopOptions, io: CommandIo = processIo()): Promise<void> {
  const a = await analyzeFiles(files, o, { topN: o.count, aggregates: true, io });
  const model = modelOf(a);
  const table = topKeysTable(model, o.by, o.count);
  let text: string;
  if (o.json) text = jsonDocument({ complete: model.complete, by: o.by, keys: tableJson(table, o.escape) });
  else if (o.csv) text = tableCsv(table, o.escape);
  else text = renderTable(table, textStyle(o, io.stdout as NodeJS.WriteStream)).join('\n') + '\n';
  await writeAll(io.stdout, text);
  failIfIncomplete(a.analyses);
}

export function register(program: Command, io: () => CommandIo = processIo): void {
  const cmd = program
    .command('top')
    .description('the largest keys, by memory or by element count')
    .argument('<dump...>', 'RDB files (several: a cluster, one per master)')
    .option('-n, --count <n>', 'keys listed', parsePositiveInt('a count'), 20)
    .addOption(new Option('--by <what>', 'rank by').choices(['memory', 'elements']).default('memory'))
    .addOption(new Option('--json', 'JSON instead of text').conflicts('csv'))
    .addOption(new Option('--csv', 'CSV instead of text'));
  addCommonOptions(cmd, { color: true, prefixes: false });
  cmd.action(async (files: string[], o: TopOptions) => {
    await runTop(files, { ...o, json: o.json === true, csv: o.csv === true }, io());
  });
}
