/**
 * Options shared by the analysis commands: filters, server profile, prefixes, parallelism,
 * output. Each `--flag` value is checked by its parser (a bad one is a usage error, exit 2) and
 * the whole set becomes an AnalysisSpec that can cross to a worker thread.
 */
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseExpiryFilter, type ExpiryFilter, type KeyFilterSpec } from '../src/memory/filter.js';
import { parseConfigOverrides, profileForRedisVersion } from '../src/memory/usage.js';
import { PROFILE_IDS, type ProfileId, type ServerConfig } from '../src/memory/profiles.js';
import { VALUE_TYPES } from '../src/engine/keyspace.js';
import type { ValueType } from '../src/rdb/index.js';
import { DEFAULT_ESCAPE, ESCAPE_MODES, type EscapeMode } from '../src/report/escape.js';
import { addLiveOptions } from './live.js';

/** Everything a worker needs to analyze a file like the main thread would. Structured-cloneable. */
export interface AnalysisSpec {
  target: ProfileId | undefined;
  config: Partial<ServerConfig>;
  filter: KeyFilterSpec;
  /** keep only the N largest keys (after the other filters) */
  largest: number | undefined;
  /** reference time for TTLs and `--expiry expired` (ms) */
  now: number;
  /** length of the top-key lists kept per file */
  topN: number;
  separators: string;
  depth: number;
  /** Redis's load-time findings (damaged values, duplicate and empty keys) are errors, exit 1 */
  strict: boolean;
}

/** Raw option values as commander hands them over. */
export interface CommonOptionValues {
  db?: number[];
  type?: ValueType[];
  match?: string;
  regex?: RegExp;
  minBytes?: number;
  maxBytes?: number;
  largest?: number;
  expiry?: string;
  target?: ProfileId;
  config?: string[];
  separators: string;
  depth: number;
  jobs?: number;
  quiet: boolean;
  now?: number;
  escape: EscapeMode;
  color?: 'auto' | 'always' | 'never';
  strict?: boolean;
}

export function parseNonNegativeInt(what: string): (text: string) => number {
  return (text) => {
    if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError(`expected ${what} (0, 1, 2, ...)`);
    const n = Number(text);
    if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`${what} too large`);
    return n;
  };
}

export function parsePositiveInt(what: string): (text: string) => number {
  const nn = parseNonNegativeInt(what);
  return (text) => {
    const n = nn(text);
    if (n < 1) throw new InvalidArgumentError(`expected ${what} of at least 1`);
    return n;
  };
}

/** `--db 0 --db 2` or `--db 0,2`. */
export function collectDbs(text: string, previous: number[] = []): number[] {
  const parse = parseNonNegativeInt('a database number');
  return [...previous, ...text.split(',').map((s) => parse(s))];
}

/** `--type hash --type zset` or `--type hash,zset`. */
export function collectTypes(text: string, previous: ValueType[] = []): ValueType[] {
  const out = [...previous];
  for (const t of text.split(',')) {
    const name = t.trim().toLowerCase();
    if (!(VALUE_TYPES as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(`unknown type "${t}" (expected ${VALUE_TYPES.join(', ')})`);
    }
    out.push(name as ValueType);
  }
  return out;
}

export function collectStrings(text: string, previous: string[] = []): string[] {
  return [...previous, text];
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3, t: 1e12, tb: 1024 ** 4 };

/** A size as Redis reads it in redis.conf: `100`, `1k` (1000), `1kb` (1024), `2mb`, `1.5gb`. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new InvalidArgumentError('expected a size in bytes, e.g. 1000, 64kb, 1.5mb (k=1000, kb=1024)');
  return Math.round(Number(m[1]) * unit);
}

/** The --target forms that name a profile exactly (redis-7.2, 7.2, valkey-8.0), for the messages. */
const KNOWN_TARGETS = PROFILE_IDS.map((id) => id.replace(/^redis-/, '')).join(', ');

/** A version's major and minor (7.2.4: [7, 2]) and whether it had a patch number. */
function versionParts(v: string): { major: number; minor: number; patch: boolean } {
  const [major, minor, patch] = v.split('.');
  return { major: Number(major), minor: Number(minor ?? 0), patch: patch !== undefined };
}

/**
 * `--target` resolved: a profile id (redis-7.2, valkey-8.0), its short form (7.2), or a server
 * version (7.2.4, valkey-8.0.1, 6.0.16). `note` says which profile a version that is not a
 * profile's own maps to and why (null for a profile named exactly). A version newer than the
 * newest profile of its server, or not a version at all, is refused with the known ones.
 */
export function resolveTarget(text: string): { id: ProfileId; note: string | null } {
  const t = text.trim().toLowerCase();
  if ((PROFILE_IDS as string[]).includes(t)) return { id: t as ProfileId, note: null };
  const valkey = /^valkey[- ]?(\d+(?:\.\d+){0,2})$/.exec(t);
  const redis = valkey ? null : /^(?:redis[- ]?)?(\d+(?:\.\d+){0,2})$/.exec(t);
  const ver = valkey?.[1] ?? redis?.[1];
  if (ver === undefined) {
    throw new InvalidArgumentError(`expected a server version: ${KNOWN_TARGETS}, or a version such as 7.2.4`);
  }
  const { major, minor, patch } = versionParts(ver);
  const server = valkey ? 'Valkey' : 'Redis';
  const id = valkey ? profileForRedisVersion('', ver) : profileForRedisVersion(ver);
  const newest = valkey ? PROFILE_IDS.filter((p) => p.startsWith('valkey-')).at(-1)! : PROFILE_IDS.filter((p) => p.startsWith('redis-')).at(-1)!;
  const top = versionParts(newest.replace(/^\w+-/, ''));
  if (!valkey && major < 2) throw new InvalidArgumentError(`no profile for Redis ${ver}: older than any server rdblens models; known: ${KNOWN_TARGETS}`);
  if (major > top.major || (major === top.major && minor > top.minor)) {
    throw new InvalidArgumentError(
      `no profile for ${server} ${ver}: the newest known is ${newest}; known: ${KNOWN_TARGETS} (a patch release such as 7.2.4 takes its minor's profile)`,
    );
  }
  const own = versionParts(id.replace(/^\w+-/, ''));
  const said = `${valkey ? 'valkey-' : ''}${ver}`;
  let why: string;
  if (own.major === major && own.minor === minor && id.startsWith(valkey ? 'valkey-' : 'redis-')) {
    if (!patch) return { id, note: null };
    why = `the profile of every ${major}.${minor}.x release`;
  } else if (valkey) {
    why = `Valkey ${major}.x is Redis 7.2.4's code base`;
  } else if (major * 100 + minor < own.major * 100 + own.minor) {
    why = major * 100 + minor < 500 ? `the oldest profile; ${ver} is older, its sizes may differ` : minor % 2 === 1 || minor >= 9 ? `${ver} is a pre-release of ${own.major}.${own.minor}` : `the nearest profile; there is none for ${major}.${minor}`;
  } else {
    why = `the newest profile before ${major}.${minor}; there is none for ${major}.${minor}`;
  }
  return { id, note: `--target ${said}: modelling ${id} (${why})` };
}

/** `--target` for commander: the profile id (resolveTarget; its note is written by the program). */
export function parseTarget(text: string): ProfileId {
  return resolveTarget(text).id;
}

/** One `--config name=value`, checked now; all of them are merged by parseConfigOverrides. */
export function collectConfig(text: string, previous: string[] = []): string[] {
  try {
    parseConfigOverrides([text]);
  } catch (err) {
    throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
  }
  return [...previous, text];
}

function parseRegex(text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (err) {
    throw new InvalidArgumentError(`not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function checkExpiry(text: string): string {
  try {
    parseExpiryFilter(text, 0);
  } catch (err) {
    throw new InvalidArgumentError(err instanceof Error ? err.message.replace(/^--expiry /, '') : String(err));
  }
  return text;
}

/** `--now`: ISO-8601 or ms since the epoch. */
export function parseTime(text: string): number {
  const t = text.trim();
  const ms = /^\d+$/.test(t) ? Number(t) : Date.parse(t);
  if (!Number.isFinite(ms)) throw new InvalidArgumentError('expected a time: ISO-8601 (2030-01-01T00:00:00Z) or ms since the epoch');
  return ms;
}

function parseSeparators(text: string): string {
  if (text.length === 0) throw new InvalidArgumentError('expected at least one separator character');
  // eslint-disable-next-line no-control-regex
  if (/[^\u0000-\u00ff]/.test(text)) throw new InvalidArgumentError('separators must be single-byte characters');
  return text;
}

export interface CommonOptionSet {
  /** --separators and --depth */
  prefixes?: boolean;
  /** --color */
  color?: boolean;
  /** --jobs (commands that analyze several dumps at once) */
  jobs?: boolean;
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/** Add the filter, profile and run options to a command. */
export function addCommonOptions(cmd: Command, set: CommonOptionSet = {}): Command {
  cmd
    .option('--db <n>', 'only database n (repeatable, or a comma list: 0,2)', collectDbs)
    .option('--type <type>', `only keys of this type (repeatable or comma list: ${VALUE_TYPES.join(', ')})`, collectTypes)
    .option('--match <glob>', 'only keys matching a Redis glob (as SCAN MATCH, on the key bytes)')
    .option('--regex <re>', 'only keys matching a JavaScript regular expression (key as UTF-8)', parseRegex)
    .option('--min-bytes <size>', 'only keys using at least this much memory (e.g. 1000, 64kb)', parseSize)
    .option('--max-bytes <size>', 'only keys using at most this much memory', parseSize)
    .option('--largest <n>', 'only the n largest keys (after the other filters)', parsePositiveInt('a key count'))
    .option('--expiry <when>', 'only keys by TTL: none, any, expired, before=<time>, after=<time>', checkExpiry)
    .option('--target <version>', 'model this server: 5.0, 6.2, 7.0, 7.2, 7.4, 8.0, valkey-8.0, or e.g. 7.2.4 (default: the one that wrote the dump)', parseTarget)
    .option('--config <name=value>', 'server configuration, e.g. hash-max-listpack-entries=1024 (repeatable)', collectConfig)
    .addOption(new Option('--now <time>', 'reference time for TTLs (ISO-8601 or ms; default: now)').argParser(parseTime))
    .addOption(new Option('--escape <mode>', 'how key bytes are written').choices(ESCAPE_MODES as string[]).default(DEFAULT_ESCAPE))
    .option('-q, --quiet', 'no progress bar', false)
    .option('--strict', "what redis-server refuses or skips on load (damaged values, duplicate or empty keys) is an error (exit 1), not a warning", false);
  if (set.prefixes !== false) {
    cmd
      .option('--separators <chars>', 'characters that end a key prefix', parseSeparators, ':')
      .option('--depth <n>', 'prefix levels to count', parsePositiveInt('a depth'), 3);
  }
  if (set.jobs !== false) {
    cmd.addOption(new Option('-j, --jobs <n>', 'dumps analyzed at once').argParser(parsePositiveInt('a thread count')).default(defaultJobs(), 'the number of cores'));
  }
  if (set.color) cmd.addOption(new Option('--color <when>', 'colour the text output').choices(['auto', 'always', 'never']).default('auto'));
  addLiveOptions(cmd);
  return cmd;
}

/** The AnalysisSpec for a command's options; `topN` is how many top keys it needs. */
export function analysisSpec(o: CommonOptionValues, topN: number): AnalysisSpec {
  const now = o.now ?? Date.now();
  const filter: KeyFilterSpec = {};
  if (o.db && o.db.length > 0) filter.dbs = [...new Set(o.db)];
  if (o.type && o.type.length > 0) filter.types = [...new Set(o.type)];
  if (o.match !== undefined) filter.match = Buffer.from(o.match, 'utf8');
  if (o.regex !== undefined) filter.regex = o.regex;
  if (o.minBytes !== undefined) filter.minBytes = o.minBytes;
  if (o.maxBytes !== undefined) filter.maxBytes = o.maxBytes;
  if (o.expiry !== undefined) filter.expiry = parseExpiryFilter(o.expiry, now) satisfies ExpiryFilter;
  return {
    target: o.target,
    config: parseConfigOverrides(o.config ?? []),
    filter,
    largest: o.largest,
    now,
    topN,
    separators: o.separators ?? ':',
    depth: o.depth ?? 3,
    strict: o.strict === true,
  };
}

/** Restore what structured cloning changed (Buffers arrive as Uint8Arrays). */
export function reviveSpec(spec: AnalysisSpec): AnalysisSpec {
  const f = spec.filter;
  if (f.match && !Buffer.isBuffer(f.match)) f.match = Buffer.from(f.match as Uint8Array);
  return spec;
}

/** host:port of a primary (--replicaof); IPv6 as [addr]:port */
export function parseHostPort(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) throw new InvalidArgumentError('expected host:port, e.g. 127.0.0.1:6379');
  return { host: (m[1] ?? m[2])!, port };
}
