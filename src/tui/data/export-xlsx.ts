/**
 * `e`: the whole report as a workbook (src/report/xlsx.ts), from the dumps' analyses the
 * explorer loaded: the same sheets and figures as `rdblens report --xlsx` (without the Keys
 * sheets; `rdblens report --xlsx --keys` writes those).
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { memoryStats } from '../../memory/stats.js';
import { buildModel } from '../../report/model.js';
import type { ReportInput } from '../../report/report.js';
import { writeWorkbook } from '../../report/xlsx.js';
import type { Explorer } from './explorer.js';

/** Rows of the top-keys and prefix sheets, as `rdblens report` lists by default. */
const TOP_KEYS = 10;

/** The report of the loaded dumps, as `rdblens report` builds it. */
export function explorerReport(ex: Explorer): ReportInput {
  const analyses = ex.loaded.analyses;
  const doctor = ex.summary.doctor;
  return {
    model: buildModel(analyses, { topN: TOP_KEYS, prefix: ex.prefixOptions }),
    stats: analyses.length > 0 ? memoryStats(analyses) : null,
    doctor: doctor?.text ?? null,
    tips: doctor?.tips ?? null,
    topKeys: TOP_KEYS,
    topPrefixes: TOP_KEYS,
  };
}

/** Write the workbook to `file` (never over an existing file); resolves with its sheet names. */
export async function writeExplorerWorkbook(file: string, ex: Explorer): Promise<string[]> {
  const out = createWriteStream(file, { flags: 'wx' });
  await new Promise<void>((resolve, reject) => {
    out.once('open', () => resolve());
    out.once('error', reject);
  });
  try {
    const { sheets } = await writeWorkbook(out, explorerReport(ex), { escape: ex.options.escape });
    await finished(out);
    return sheets;
  } catch (err) {
    out.destroy();
    throw err;
  }
}
