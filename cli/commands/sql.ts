/**
 * `rdblens sql "<query>" <dump...|file.parquet...>`: SQL over a `keys` view of the per-key
 * table (the columns of `csv --format parquet`), with the embedded DuckDB. See cli/sql.ts,
 * docs/cli.md and docs/fleet.md.
 */
import { Command } from 'commander';
import { processIo, type CommandIo } from '../common.js';
import { addCommonOptions, collectStrings } from '../options.js';
import type { SqlOptions } from '../sql.js';
import { SQL_EXAMPLES } from '../../src/report/sql-examples.js';

const HELP_AFTER = `
The query reads one view, keys, over every input: one row per key with the columns of
rdblens csv --format parquet (database, type, key, size_in_bytes, encoding, num_elements,
len_largest_element, expiry, prefix, ttl, key_length, profile, file, key_bytes, shard, slot,
expired, prefix1..prefix<depth>). Dumps are exported to a temporary Parquet file first.

  rdblens sql "select prefix1, sum(size_in_bytes) from keys group by 1 order by 2 desc limit 10" shard*.parquet
  rdblens sql --example top-prefixes dump.rdb

Examples (--example <name>):
${SQL_EXAMPLES.map((e) => `  ${e.name.padEnd(14)}${e.description}`).join('\n')}
Details: docs/cli.md, docs/fleet.md`;

export function register(program: Command, io: () => CommandIo = processIo): void {
  const cmd = program
    .command('sql')
    .description('SQL (DuckDB) over the per-key table of dumps or Parquet files')
    .argument('[query]', 'the SQL query, over the view keys (omit with --example)')
    .argument('[input...]', 'RDB dumps and/or Parquet files from csv --format parquet')
    .option('--example <name>', 'run a named example query instead (see below)')
    .option('--csv', 'the result as CSV', false)
    .option('--json', 'the result as a JSON array of objects', false)
    .option('--shard <name>', 'the shard column of each dump given (once per dump)', collectStrings);
  addCommonOptions(cmd);
  cmd.addHelpText('after', HELP_AFTER).action(async (query: string | undefined, inputs: string[], o: SqlOptions) => {
    // cli/sql.ts loads DuckDB (~40 MB): only when the command runs
    const { runSql } = await import('../sql.js');
    await runSql(query, inputs, o, io());
  });
}
