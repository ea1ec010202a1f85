/**
 * The `rdblens` program: commander setup, exit codes and error reporting. Each subcommand is a
 * module in cli/commands/ exporting `register(program, io)`; add it to COMMANDS.
 *
 * Exit codes: 0 success (also when stdout is closed early, e.g. `| head`), 1 an error (bad or
 * unreadable input, corrupt dump, internal bug), 2 usage error (bad flag or argument).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import type { CommandIo } from './common.js';
import { CliError, expectedErrorLine } from './errors.js';
import { resolveTarget } from './options.js';
import { register as registerCsv } from './commands/csv.js';
import { register as registerDiff } from './commands/diff.js';
import { register as registerDoctor } from './commands/doctor.js';
import { register as registerJson } from './commands/json.js';
import { register as registerPrefixes } from './commands/prefixes.js';
import { register as registerReport } from './commands/report.js';
import { register as registerStats } from './commands/stats.js';
import { register as registerTop } from './commands/top.js';
import { register as registerTui } from './commands/tui.js';
import { register as registerServe } from './commands/serve.js';
import { register as registerSql } from './commands/sql.js';
import { register as registerEvict } from './commands/evict.js';

export const COMMANDS: ReadonlyArray<(program: Command, io: () => CommandIo) => void> = [registerReport, registerCsv, registerPrefixes, registerTop, registerStats, registerDoctor, registerDiff, registerJson, registerSql, registerTui, registerServe, registerEvict];

/** The version in package.json (cli/ when run from source, dist/cli/ when built). */
export function packageVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'rdblens' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}

export interface ProgramIo {
  /** commander's own output (help, usage errors) */
  writeOut: (s: string) => void;
  writeErr: (s: string) => void;
  /** where commands write their output and progress (default: process.stdout / stderr) */
  stdout?: CommandIo['stdout'];
  stderr?: CommandIo['stderr'];
}

const defaultIo: ProgramIo = {
  writeOut: (s) => process.stdout.write(s),
  writeErr: (s) => process.stderr.write(s),
};

export function createProgram(io: ProgramIo = defaultIo): Command {
  const program = new Command('rdblens');
  program
    .description('Where does your Redis memory go? Streaming RDB analyzer.')
    .version(packageVersion(), '-V, --version')
    .configureOutput({ writeOut: io.writeOut, writeErr: io.writeErr })
    .exitOverride()
    .showHelpAfterError("(run 'rdblens --help' for usage)");
  const commandIo = (): CommandIo => ({ stdout: io.stdout ?? process.stdout, stderr: io.stderr ?? process.stderr });
  for (const add of COMMANDS) add(program, commandIo);
  for (const cmd of program.commands) {
    // a --target version that is not a profile's own: say which profile models it and why
    // (commander's own listener, registered first, has parsed and checked the value)
    if (cmd.options.some((opt) => opt.long === '--target')) {
      cmd.on('option:target', (raw: string) => {
        const { note } = resolveTarget(raw);
        if (note !== null) io.writeErr(`rdblens: ${note}\n`);
      });
    }
    cmd.showHelpAfterError(`usage: rdblens ${cmd.name()} ${cmd.usage()}\n(run 'rdblens ${cmd.name()} --help' for details)`);
  }
  return program;
}

function isEpipe(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === 'EPIPE';
}

/** Run the program on `argv` (node-style: argv[0] node, argv[1] script); resolves to the exit code. */
export async function main(argv: string[] = process.argv, io: ProgramIo = defaultIo): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (isEpipe(err)) return 0;
    const line = expectedErrorLine(err);
    if (line !== null) {
      io.writeErr(`rdblens: ${line}\n`);
      return err instanceof CliError ? err.exitCode : 1;
    }
    io.writeErr(`rdblens: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

/** Entry point for the executable: exit codes, EPIPE on stdout, last-resort error handlers. */
export async function run(argv: string[] = process.argv): Promise<void> {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // the reader went away (`rdblens json x | head`): stop quietly
    if (err.code === 'EPIPE') process.exit(0);
    process.stderr.write(`rdblens: stdout: ${err.message}\n`);
    process.exit(1);
  });
  const bug = (err: unknown): void => {
    process.stderr.write(`rdblens: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', bug);
  process.on('unhandledRejection', bug);
  process.exitCode = await main(argv);
}
