/**
 * LibreOffice Calc (Debian libreoffice-calc-nogui) as the spreadsheet that reads our workbooks:
 * `soffice --headless --convert-to` with a private profile directory, several files per start
 * (a start takes seconds). CSV export of every sheet needs the filter's 12th token, -1
 * (LibreOffice 7.2 and later): `<name>-<sheet>.csv` per sheet.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';

/**
 * CSV: comma, `"` quotes, UTF-8 (76), from line 1, cells stored values (not as shown: numbers
 * unformatted), every sheet (-1).
 */
export const CSV_ALL_SHEETS = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1';

/** Convert `files` into `outDir` as `format` in one LibreOffice start. */
export function soffice(bin: string, profileDir: string, format: string, outDir: string, files: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      [`-env:UserInstallation=${pathToFileURL(profileDir).href}`, '--headless', '--norestore', '--convert-to', format, '--outdir', outDir, ...files],
      { timeout: 180_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => (err ? reject(new Error(`soffice failed: ${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

/** The sheets LibreOffice wrote for `<base>.xlsx` (CSV_ALL_SHEETS), as rows of strings, by sheet name. */
export function csvSheets(outDir: string, base: string): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  for (const f of readdirSync(outDir)) {
    if (!f.startsWith(`${base}-`) || !f.endsWith('.csv')) continue;
    const sheet = f.slice(base.length + 1, -4);
    const text = readFileSync(path.join(outDir, f), 'utf8');
    out.set(sheet, parse(text, { relax_column_count: true, bom: true }) as string[][]);
  }
  return out;
}

/** A sheet's rows as objects by header. */
export function records(rows: string[][]): Array<Record<string, string>> {
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

export interface FodsRow {
  /** row-group nesting (the outline level LibreOffice read) */
  level: number;
  /** cells: value type (float, string, boolean, date...) and text */
  cells: Array<{ type: string | null; value: string | null; text: string }>;
}

function unxml(s: string): string {
  return s
    .replace(/<text:s(?: text:c="(\d+)")?\/>/g, (_, n: string | undefined) => ' '.repeat(n ? Number(n) : 1))
    .replace(/<text:tab\/>/g, '\t')
    .replace(/<text:line-break\/>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The rows of one sheet of a flat ODS document (soffice --convert-to fods), with their outline levels. */
export function fodsRows(xml: string, sheet: string): FodsRow[] {
  const start = xml.indexOf(`<table:table table:name="${sheet.replace(/&/g, '&amp;')}"`);
  if (start < 0) throw new Error(`no sheet ${sheet}`);
  const end = xml.indexOf('</table:table>', start);
  const body = xml.slice(start, end);
  const rows: FodsRow[] = [];
  let level = 0;
  const tag = /<table:table-row-group[^>]*>|<\/table:table-row-group>|<table:table-row\b[^>]*?(?:\/>|>([\s\S]*?)<\/table:table-row>)/g;
  for (let m; (m = tag.exec(body)); ) {
    const t = m[0];
    if (t.startsWith('<table:table-row-group')) level++;
    else if (t.startsWith('</table:table-row-group')) level--;
    else {
      const repeat = Number(/table:number-rows-repeated="(\d+)"/.exec(t.slice(0, t.indexOf('>')))?.[1] ?? 1);
      const cells: FodsRow['cells'] = [];
      const cellRe = /<table:table-cell\b([^>]*?)(?:\/>|>([\s\S]*?)<\/table:table-cell>)/g;
      for (let c; (c = cellRe.exec(m[1] ?? '')); ) {
        const attrs = c[1]!;
        const n = Number(/table:number-columns-repeated="(\d+)"/.exec(attrs)?.[1] ?? 1);
        const type = /office:value-type="([^"]+)"/.exec(attrs)?.[1] ?? null;
        const value = /office:(?:value|date-value|boolean-value)="([^"]*)"/.exec(attrs)?.[1] ?? null;
        const paras = [...(c[2] ?? '').matchAll(/<text:p>([\s\S]*?)<\/text:p>|<text:p\/>/g)].map((p) => unxml(p[1] ?? ''));
        for (let k = 0; k < Math.min(n, 64); k++) cells.push({ type, value, text: paras.join('\n') });
      }
      while (cells.length > 0 && cells.at(-1)!.type === null && cells.at(-1)!.text === '') cells.pop();
      // the empty rows LibreOffice writes up to the sheet's end
      if (cells.length === 0) continue;
      for (let k = 0; k < repeat; k++) rows.push({ level, cells });
    }
  }
  return rows;
}
