/**
 * `rdblens tui <dump...>`: the interactive explorer (src/tui). Also what a bare `rdblens <dump>`
 * runs when stdout is a terminal; on anything else (a pipe, a file) the bare form prints
 * `rdblens report` instead. See docs/tui.md.
 */
import { existsSync } from 'node:fs';
import { addLiveOptions } from '../live.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseExpiryFilter, type KeyFilterSpec } from '../../src/memory/filter.js';
import { parseConfigOverrides } from '../../src/memory/usage.js';
import type { ProfileId } from '../../src/memory/profiles.js';
import type { ExplorerOptions } from '../../src/tui/data/explorer.js';
import { VALUE_TYPES } from '../../src/engine/keyspace.js';
import type { ValueType } from '../../src/rdb/index.js';
import { DEFAULT_ESCAPE, ESCAPE_MODES, type EscapeMode } from '../../src/report/escape.js';
import { readDumpHeader } from '../analysis.js';
import { splitReader } from '../split-load.js';
import { CliError } from '../errors.js';
import { LoadWatch, armInterrupt } from '../interrupt.js';
import { collectConfig, collectDbs, collectTypes, parseHostPort, parsePositiveInt, parseSize, parseTarget, parseTime } from '../options.js';

export interface TuiOptions {
  db: number[];
  type: ValueType[];
  match?: string;
  regex?: RegExp;
  minBytes?: number;
  maxBytes?: number;
  expiry?: string;
  target?: ProfileId;
  config: string[];
  now?: number;
  escape: EscapeMode;
  separators: string;
  depth: number;
  exportDir: string;
  replicaof?: { host: string; port: number };
  masterauth?: string;
  masteruser?: string;
}

function checked<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (err) {
      throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
    }
  };
}

function parseSeparators(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (text.length === 0 || /[^\u0000-\u00ff]/.test(text)) throw new InvalidArgumentError('expected single-byte separator characters');
  return text;
}

/** The key filter applied while loading (the explorer's `/` filters within it). */
export function loadFilter(o: TuiOptions, now: number): KeyFilterSpec {
  const f: KeyFilterSpec = {};
  if (o.db.length > 0) f.dbs = [...new Set(o.db)];
  if (o.type.length > 0) f.types = [...new Set(o.type)];
  if (o.match !== undefined) f.match = Buffer.from(o.match, 'utf8');
  if (o.regex !== undefined) f.regex = o.regex;
  if (o.minBytes !== undefined) f.minBytes = o.minBytes;
  if (o.maxBytes !== undefined) f.maxBytes = o.maxBytes;
  if (o.expiry !== undefined) f.expiry = parseExpiryFilter(o.expiry, now);
  return f;
}

export async function runTuiCommand(dumps: string[], o: TuiOptions): Promise<void> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new CliError('the explorer needs a terminal on stdin and stdout (for a text report: rdblens report <dump...>)');
  }
  if (o.replicaof) return runFollowing(o);
  if (dumps.includes('-')) throw new CliError('the explorer reads values back from the dump by offset: give it a file, not standard input');
  // every file checked before the screen is taken over: errors print like the other commands'
  const sizes: { name: string; size: number }[] = [];
  for (const f of dumps) sizes.push({ name: f, size: (await readDumpHeader(f, o.target)).size });
  const now = o.now ?? Date.now();
  // SIGTERM / SIGINT (a kill: Ctrl+C is a key here) while the dumps load: say where, once the
  // screen is restored (cli/interrupt.ts)
  const watch = new LoadWatch(sizes);
  const disarm = armInterrupt(watch, (line) => process.stderr.write(`${line}\n`));
  await runExplorer(o, {
    files: dumps,
    filter: loadFilter(o, now),
    now,
    onLoadProgress: (_all, keys, i, bytes) => watch.onLoad(keys, i, bytes),
    onLoaded: disarm,
  });
}

/** `rdblens tui --replicaof host:port`: the explorer on a followed primary (src/tui/data/live.ts). */
async function runFollowing(o: TuiOptions): Promise<void> {
  const replica = { host: o.replicaof!.host, port: o.replicaof!.port, masterauth: o.masterauth, masteruser: o.masteruser };
  await runExplorer(o, { files: [], replica, now: o.now ?? Date.now() });
}

/** The explorer on dumps or on a followed primary, with the options both take; then the process ends. */
async function runExplorer(o: TuiOptions, source: Pick<ExplorerOptions, 'files' | 'replica' | 'filter' | 'now' | 'onLoadProgress' | 'onLoaded'>): Promise<void> {
  // React's development build is several times slower; nothing here uses its checks
  process.env.NODE_ENV ??= 'production';
  const { runTui } = await import('../../src/tui/run.js');
  await runTui(
    {
      ...source,
      target: o.target,
      config: parseConfigOverrides(o.config),
      separators: o.separators,
      depth: o.depth,
      escape: o.escape,
      readerFor: splitReader,
    },
    { exportDir: o.exportDir },
  );
  // quitting while the dumps still load (or an export runs) leaves that work with nobody to
  // show it to: end the process now rather than when it completes
  process.exit(process.exitCode ?? 0);
}

const HELP_AFTER = `
Views (one key each): 1 Overview, 2 Doctor, 3 Top keys, 4 Prefixes, 5 Expiry; Enter on a key
opens its detail (value read from the dump by offset). / filters keys by Redis glob or /regex/,
s changes the sort, e exports the current view as CSV, ? lists every key, q quits.
--replicaof host:port explores a running primary instead of dumps: rdblens follows it as a
replica (PSYNC; nothing is written to disk) and the views keep up with its writes.
A bare \`rdblens <dump...>\` opens the explorer when stdout is a terminal. Details: docs/tui.md`;

/** Whether a bare argument names a dump rather than a mistyped command: a path, or a file that exists. */
function looksLikeFile(arg: string): boolean {
  return /[./\\]/.test(arg) || existsSync(arg);
}

export function register(program: Command): void {
  const cmd = program
    .command('tui', { isDefault: true })
    .description('explore dumps interactively in the terminal (the default command on a terminal)')
    .argument('[dump...]', 'RDB files (several: a cluster, one per master)')
    .option('--db <n>', 'only database n (repeatable, or a comma list: 0,2)', collectDbs, [] as number[])
    .option('--type <type>', `only keys of this type (repeatable or comma list: ${VALUE_TYPES.join(', ')})`, collectTypes, [] as ValueType[])
    .option('--match <glob>', 'only keys matching a Redis glob (as SCAN MATCH, on the key bytes)')
    .option('--regex <re>', 'only keys matching a JavaScript regular expression (key as UTF-8)', checked((t) => new RegExp(t)))
    .option('--min-bytes <size>', 'only keys using at least this much memory (e.g. 1000, 64kb)', parseSize)
    .option('--max-bytes <size>', 'only keys using at most this much memory', parseSize)
    .option('--expiry <when>', 'only keys by TTL: none, any, expired, before=<time>, after=<time>', checked((t) => (parseExpiryFilter(t, 0), t)))
    .option('--target <version>', 'model this server: 5.0, 6.2, 7.0, 7.2, 7.4, 8.0, valkey-8.0, or e.g. 7.2.4 (default: the one that wrote the dump)', parseTarget)
    .option('--config <name=value>', 'server configuration, e.g. hash-max-listpack-entries=1024 (repeatable)', collectConfig, [] as string[])
    .addOption(new Option('--now <time>', 'reference time for TTLs (ISO-8601 or ms; default: now)').argParser(parseTime))
    .addOption(new Option('--escape <mode>', 'how key bytes are shown').choices(ESCAPE_MODES as string[]).default(DEFAULT_ESCAPE))
    .option('--separators <chars>', 'characters that end a key prefix', parseSeparators, ':')
    .option('--depth <n>', 'prefix levels to count', parsePositiveInt('a depth'), 3)
    .option('--export-dir <dir>', 'where e writes its CSV files', process.cwd())
    .option('--replicaof <host:port>', 'explore a running primary, followed as a replica (PSYNC), instead of dumps', parseHostPort)
    .option('--masterauth <password>', "the primary's password (AUTH)")
    .option('--masteruser <user>', 'the ACL user to AUTH as on the primary')
    .addHelpText('after', HELP_AFTER)
    .action(async (dumps: string[], o: TuiOptions, cmd: Command) => {
      const parent = cmd.parent!;
      const asDefault = parent.args[0] !== 'tui';
      if (o.replicaof) {
        if (dumps.length > 0) cmd.error('error: --replicaof takes the data from the primary: give no dump files', { exitCode: 2, code: 'rdblens.replicaofWithDumps' });
        if (Object.keys(loadFilter(o, 0)).length > 0) {
          cmd.error('error: --db, --type, --match, --regex, --min-bytes, --max-bytes and --expiry filter dumps as they load: with --replicaof, filter with / in the explorer', {
            exitCode: 2,
            code: 'rdblens.replicaofWithFilter',
          });
        }
        await runTuiCommand([], o);
        return;
      }
      if ((o.masterauth !== undefined || o.masteruser !== undefined) && !o.replicaof) {
        cmd.error('error: --masterauth and --masteruser go with --replicaof', { exitCode: 2, code: 'rdblens.masterauthAlone' });
      }
      if (dumps.length === 0) {
        // bare `rdblens`: the program's help, as without a default command
        if (asDefault) parent.help({ error: true });
        cmd.help({ error: true });
      }
      if (asDefault && !looksLikeFile(dumps[0]!)) {
        // `rdblens reprot x.rdb`: a mistyped command, not a dump
        parent.error(`error: unknown command '${dumps[0]}'`, { code: 'commander.unknownCommand' });
      }
      if (asDefault && !process.stdout.isTTY) {
        // `rdblens dump.rdb > out.txt`: the text report, with the same arguments
        const report = parent.commands.find((c) => c.name() === 'report');
        if (report) {
          await report.parseAsync(parent.args, { from: 'user' });
          return;
        }
      }
      await runTuiCommand(dumps, o);
    });
  // a redis:// source is read into a temporary dump first: the explorer reads values by offset
  addLiveOptions(cmd, { spool: true });
}
