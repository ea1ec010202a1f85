/**
 * Running rdblens in tests: as a real process (exit codes, stderr, signals) or in process
 * through `main()` with captured output (faster; the analysis still runs in worker threads).
 */
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { main } from '../../cli/program.js';
import { unescapeBytes, type EscapeMode } from '../../src/report/escape.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `rdblens <args>` as a process, from source (tsx). */
export function rdblensProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/rdblens.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** A Writable that keeps what is written. */
export class Capture extends Writable {
  private readonly chunks: Buffer[] = [];
  isTTY = false;

  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    cb();
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  get text(): string {
    return this.bytes.toString('utf8');
  }
}

/** `rdblens <args>` in this process, output captured. */
export async function rdblens(args: string[]): Promise<Run & { raw: Buffer }> {
  const stdout = new Capture();
  const stderr = new Capture();
  let err = '';
  let out = '';
  const code = await main(['node', 'rdblens', ...args], {
    writeOut: (s) => {
      out += s;
    },
    writeErr: (s) => {
      err += s;
    },
    stdout,
    stderr,
  });
  return { code, stdout: out + stdout.text, stderr: err + stderr.text, raw: stdout.bytes };
}

/** CSV text as records (arrays of strings). */
export function parseCsv(text: string): string[][] {
  return parse(text, { relax_column_count: false }) as string[][];
}

const FORMULA_FIRST = new Set(['-', '=', '+', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/** A CSV key field back to bytes: csv-stringify's formula guard undone, then the escape mode. */
export function csvKey(field: string, mode: EscapeMode = 'utf8'): Buffer {
  const text = field.startsWith("'") && field.length > 1 && FORMULA_FIRST.has(field[1]!) ? field.slice(1) : field;
  return unescapeBytes(text, mode);
}
