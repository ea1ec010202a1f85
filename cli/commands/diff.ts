/**
 * `rdblens diff <old.rdb> <new.rdb>`: growth by type and by prefix, the keys that grew and
 * shrank most, keys added and removed. The old dump's keys are held in a compact index
 * (src/report/diff.ts: about 30 bytes per key plus its name), the new dump is streamed.
 * See docs/cli.md.
 */
import { Command } from 'commander';
import { analyzeDump, type DumpAnalysis } from '../../src/memory/analyze.js';
import { DiffBuilder, keyChangeTable, prefixGrowthTable, typeGrowthTable } from '../../src/report/diff.js';
import { formatBytes, formatBytesDelta, formatCount, formatSignedCount } from '../../src/report/format.js';
import { jsonDocument, tableJson, type JsonValue } from '../../src/report/json.js';
import { buildModel, fileError } from '../../src/report/model.js';
import { paint, renderPairs, renderTable } from '../../src/report/text.js';
import type { Table } from '../../src/report/table.js';
import { readDumpHeader } from '../analysis.js';
import { failIfIncomplete, processIo, textStyle, writeAll, type CommandIo } from '../common.js';
import { addCommonOptions, analysisSpec, parsePositiveInt, type CommonOptionValues } from '../options.js';
import { progressFor } from '../progress.js';
import { openOutput, writeFile } from '../output.js';
import { diffPage } from '../../src/report/html/page.js';

export interface DiffOptions extends CommonOptionValues {
  json: boolean;
  /** write the diff as one self-contained HTML page here */
  html?: string;
  count: number;
  prefixes: number;
}

export async function runDiff(oldFile: string, newFile: string, o: DiffOptions, io: CommandIo = processIo()): Promise<void> {
  const spec = analysisSpec(o, 0);
  const headers = [await readDumpHeader(oldFile, spec.target), await readDumpHeader(newFile, spec.target)];
  // opened once the inputs are known good, before the work: a bad path fails first
  const htmlOut = o.html !== undefined ? await openOutput(o.html) : null;
  const progress = progressFor(
    headers.map((h) => h.size),
    o.quiet,
    io.stderr as NodeJS.WriteStream,
  );
  const diff = new DiffBuilder(o.count);
  const analyses: DumpAnalysis[] = [];
  try {
    for (const [i, file] of [oldFile, newFile].entries()) {
      analyses.push(
        await analyzeDump(file, {
          target: spec.target,
          config: spec.config,
          filter: spec.filter,
          fileIndex: i,
          aggregate: { now: spec.now, topN: 0, prefix: { separators: spec.separators, depth: spec.depth } },
          onKey: i === 0 ? (r) => diff.addOld(r) : (r) => diff.addNew(r),
          ...(progress ? { onProgress: (bytes: number, keys: number) => progress.update(i, bytes, keys) } : {}),
        }),
      );
      progress?.fileDone(i);
    }
  } finally {
    progress?.clear();
  }
  diff.finish();
  const [oldM, newM] = analyses.map((a) => buildModel([a], { topN: 0 })) as [ReturnType<typeof buildModel>, ReturnType<typeof buildModel>];
  const c = diff.counts;
  const tables: Table[] = [
    typeGrowthTable(oldM, newM),
    prefixGrowthTable(oldM, newM, o.prefixes),
    keyChangeTable('growing', 'Keys that grew most', diff.topGrowing()),
    keyChangeTable('shrinking', 'Keys that shrank most', diff.topShrinking()),
  ];
  let text: string | null;
  if (o.json || htmlOut) {
    const side = (m: typeof oldM, a: DumpAnalysis): JsonValue => ({
      file: a.file,
      profile: a.profile.id,
      keys: m.total.keys,
      bytes: m.total.bytes,
      error: a.error ? (fileError(a) as unknown as JsonValue) : null,
    });
    const doc: Record<string, JsonValue> = {
      complete: analyses.every((a) => a.error === null),
      old: side(oldM, analyses[0]!),
      new: side(newM, analyses[1]!),
      keys_added: c.added,
      keys_removed: c.removed,
      keys_changed: c.changed,
      keys_unchanged: c.unchanged,
      bytes_added: c.addedBytes,
      bytes_removed: c.removedBytes,
      bytes_changed: c.changedDelta,
      bytes_delta: newM.total.bytes - oldM.total.bytes,
      old_index_bytes: diff.old.heapBytes(),
    };
    for (const t of tables) doc[t.id] = tableJson(t, o.escape);
    if (htmlOut) await writeFile(htmlOut, diffPage(oldFile, newFile, doc));
    text = o.json ? jsonDocument(doc) : null;
  } else {
    const style = textStyle(o, io.stdout as NodeJS.WriteStream);
    const out: string[] = [paint(style, 'bold', `rdblens diff: ${oldFile} -> ${newFile}`)];
    out.push(
      ...renderPairs(
        [
          ['keys', `${formatCount(oldM.total.keys)} -> ${formatCount(newM.total.keys)} (${formatSignedCount(newM.total.keys - oldM.total.keys)})`],
          ['memory', `${formatBytes(oldM.total.bytes)} -> ${formatBytes(newM.total.bytes)} (${formatBytesDelta(newM.total.bytes - oldM.total.bytes)})`],
          ['added', `${formatCount(c.added)} keys, ${formatBytes(c.addedBytes)}`],
          ['removed', `${formatCount(c.removed)} keys, ${formatBytes(c.removedBytes)}`],
          ['changed', `${formatCount(c.changed)} keys, ${formatBytesDelta(c.changedDelta)}`],
          ['unchanged', `${formatCount(c.unchanged)} keys`],
        ],
        style,
      ),
    );
    for (const a of analyses) if (a.error) out.push(paint(style, ['bold', 'yellow'], `  INCOMPLETE: ${a.error.message}`));
    for (const t of tables) out.push('', ...renderTable(t, style, { indent: '  ' }));
    text = out.join('\n') + '\n';
  }
  if (text !== null) await writeAll(io.stdout, text);
  failIfIncomplete(analyses);
}

export function register(program: Command, io: () => CommandIo = processIo): void {
  const cmd = program
    .command('diff')
    .description('what changed between two dumps: growth by type and prefix, keys added, removed, grown')
    .argument('<old>', 'the earlier RDB file')
    .argument('<new>', 'the later RDB file')
    .option('--json', 'one JSON document instead of text', false)
    .option('--html <file>', 'also write the diff as one self-contained HTML page (growth charts); no text on stdout unless --json')
    .option('-n, --count <n>', 'keys listed as growing and as shrinking', parsePositiveInt('a count'), 10)
    .option('--prefixes <n>', 'prefixes listed', parsePositiveInt('a count'), 15);
  addCommonOptions(cmd, { color: true, jobs: false });
  cmd.action(async (oldFile: string, newFile: string, o: DiffOptions) => {
    await runDiff(oldFile, newFile, o, io());
  });
}
