/**
 * Expected failures of a command: printed as one line `rdblens: <message>`, never a stack.
 */
import { RdbError } from '../src/rdb/index.js';
import { LiveSourceError } from '../src/source/errors.js';

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Node's system errors ("ENOENT: no such file or directory, open 'x'") as "no such file or directory". */
export function systemReason(err: NodeJS.ErrnoException): string {
  const m = /^E[A-Z0-9]+: ([^,]+)/.exec(err.message);
  return m ? m[1]! : err.code ? `${err.code}: ${err.message}` : err.message;
}

export function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * The one line to print for an expected error, or null for a bug (print the stack then).
 * `file` names the input for system errors that do not carry a path.
 */
export function expectedErrorLine(err: unknown, file?: string): string | null {
  if (err instanceof CliError) return err.message;
  if (err instanceof RdbError) return err.message;
  if (err instanceof LiveSourceError) return err.message;
  if (isSystemError(err)) return `${err.path ?? file ?? err.syscall}: ${systemReason(err)}`;
  return null;
}
