/**
 * Parquet files joined by their bytes (src/report/parquet-footer.ts, cli/parquet-sink.ts's
 * joinParquet), read back by DuckDB: the footer read and written back byte for byte, the joined
 * file equal to the parts' rows in order, and the refusals.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { footerLength, joinedFooter, parquetPart, ParquetFooterError, readFooterStruct, writeFooterStruct } from '../../src/report/parquet-footer.js';
import { joinParquet } from '../../cli/parquet-sink.js';

const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-parquet-footer-'));
let con: DuckDBConnection | null = null;
after(() => {
  con?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

async function duck(): Promise<DuckDBConnection> {
  con ??= await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
  return con;
}

async function rows(sql: string): Promise<unknown[][]> {
  return (await (await duck()).runAndReadAll(sql)).getRows();
}

/** A part as rdblens writes one: rows `from` .. `to`, zstd, bloom filters, several row groups. */
async function part(name: string, from: number, to: number, extra = ''): Promise<string> {
  const file = path.join(dir, name);
  await (await duck()).run(
    `COPY (SELECT i, 'key:' || i AS k, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1.5 END AS d, i % 3 = 0 AS b, ['a', 'b'][1 + i % 2] AS t ${extra} FROM range(${from}, ${to}) r(i)) ` +
      `TO '${file}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 10000)`,
  );
  return file;
}

function footerOf(file: string): Buffer {
  const b = readFileSync(file);
  const n = footerLength(b.subarray(b.length - 8), file);
  return b.subarray(b.length - 8 - n, b.length - 8);
}

test('a DuckDB footer is read and written back byte for byte', async () => {
  const f = await part('rt.parquet', 0, 25_000);
  const footer = footerOf(f);
  assert.ok(writeFooterStruct(readFooterStruct(footer, f)).equals(footer));
});

test('joined parts read back as their rows in order, with the row groups, statistics and bloom filters of each', async () => {
  const parts = [await part('a.parquet', 0, 23_456), await part('b.parquet', 23_456, 23_457), await part('c.parquet', 23_457, 61_000)];
  const want = await rows(`SELECT * FROM read_parquet(['${parts.join("','")}']) ORDER BY i`);
  const out = path.join(dir, 'joined.parquet');
  await joinParquet(parts, out, [['rdblens', '{"x":"é"}']]);
  const got = await rows(`SELECT * FROM read_parquet('${out}', file_row_number = true) ORDER BY file_row_number`);
  assert.deepEqual(
    got.map((r) => r.slice(0, -1)),
    want,
  );
  const groups = await rows(`SELECT row_group_id, any_value(row_group_num_rows) FROM parquet_metadata('${out}') GROUP BY 1 ORDER BY 1`);
  assert.deepEqual(
    groups.map((g) => Number(g[1])),
    // DuckDB rounds ROW_GROUP_SIZE up to whole vectors of 2048 rows
    [10240, 10240, 2976, 1, 10240, 10240, 10240, 6823],
  );
  // a filter that reads statistics and bloom filters of the moved row groups finds the rows
  assert.deepEqual(await rows(`SELECT i FROM '${out}' WHERE k = 'key:60999' OR k = 'key:23456' OR i = 5 ORDER BY i`), [[5n], [23456n], [60999n]]);
  assert.deepEqual(await rows(`SELECT decode(value) FROM parquet_kv_metadata('${out}') WHERE decode(key) = 'rdblens'`), [['{"x":"é"}']]);
  assert.deepEqual(await rows(`SELECT num_rows, num_row_groups FROM parquet_file_metadata('${out}')`), [[61000n, 8n]]);
});

test('refused: parts of other schemas, a footer that is not Thrift, a file that is not Parquet', async () => {
  const a = await part('s1.parquet', 0, 10);
  const b = await part('s2.parquet', 0, 10, ", 1 AS more");
  const pa = parquetPart(a, footerOf(a), readFileSync(a).length);
  const pb = parquetPart(b, footerOf(b), readFileSync(b).length);
  assert.throws(() => joinedFooter([pa, pb], [4, 100], []), (e: unknown) => e instanceof ParquetFooterError && /schema differs/.test(e.message));
  const junk = Buffer.from([0x19, 0xfc, 0xff, 0xff, 0xff, 0x0f, 0x01]);
  assert.throws(() => readFooterStruct(junk, 'junk'), (e: unknown) => e instanceof ParquetFooterError && /junk: footer byte/.test(e.message));
  const notParquet = path.join(dir, 'not.parquet');
  writeFileSync(notParquet, 'hello, world');
  await assert.rejects(joinParquet([notParquet], path.join(dir, 'x.parquet'), []), /not a Parquet file/);
});
