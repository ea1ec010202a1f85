/**
 * The embedded DuckDB (the `@duckdb/node-api` package, its native library shipped in the npm
 * package): one in-memory instance per command, settings chosen for a CLI that shares the
 * machine (threads, memory), and DuckDB's errors as one-line CliErrors.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { CliError } from './errors.js';

export interface DuckOptions {
  /** DuckDB worker threads (default 1: the dump parser has the other core) */
  threads?: number;
  /** DuckDB's memory limit (default 256MB: it spills to its temp directory past that) */
  memoryLimit?: string;
  /** where DuckDB spills (default: its own choice, under the system temp directory) */
  tempDirectory?: string;
}

export interface Duck {
  connection: DuckDBConnection;
  close(): void;
}

export async function openDuck(o: DuckOptions = {}): Promise<Duck> {
  const settings: Record<string, string> = {
    threads: String(o.threads ?? 1),
    memory_limit: o.memoryLimit ?? '256MB',
    // scans keep file order: rows come back as the dump had them
    preserve_insertion_order: 'true',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
  if (o.tempDirectory) settings.temp_directory = o.tempDirectory;
  // loaded on first use: the package and its native library cost ~40 MB of RSS at start
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', settings);
  const connection = await instance.connect();
  return {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** DuckDB's error as a CliError naming what was being done. */
export function duckError(what: string, err: unknown): Error {
  if (err instanceof CliError) return err;
  if (err instanceof Error && /^[A-Za-z ]*Error: /.test(err.message)) return new CliError(`${what}: ${err.message}`);
  return err instanceof Error ? err : new Error(String(err));
}
