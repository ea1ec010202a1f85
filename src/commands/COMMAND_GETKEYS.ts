/**
 * COMMAND GETKEYS / GETKEYSANDFLAGS command [arg ...] (getKeysSubcommandImpl, server.c 7.0):
 * the key arguments of any 7.0.15 command (command-info.ts), found as
 * getKeysFromCommandWithSpecs does: by the command's key specs (getKeysUsingKeySpecs, db.c)
 * when it has one that is a key and none has variable flags, and with the command's own
 * getkeys procedure when the specs do not apply or fail (SET, BITFIELD and SORT, MIGRATE give
 * flags; the others none, as their procs in db.c). GETKEYSANDFLAGS adds each key's flags.
 */
import type { Context } from './context.js';
import type { CommandSpec } from './spec.js';
import { COMMAND_INFO, type CommandInfo, type KeySpec } from './command-info.js';
import { ReplyError } from './errors.js';
import { parseLongLong } from '../protocol/decoder.js';
import { is, lower } from './_util.js';

const TABLE = new Map<string, CommandInfo>(COMMAND_INFO.map((i) => [i.name, i]));

/** argv index of the numkeys argument, for the commands that take one */
const NUMKEYS_AT: Record<string, number> = {
  zunionstore: 2, zinterstore: 2, zdiffstore: 2, zunion: 1, zinter: 1, zdiff: 1, zintercard: 1, sintercard: 1,
  lmpop: 1, zmpop: 1, blmpop: 2, bzmpop: 2, eval: 2, evalsha: 2, eval_ro: 2, evalsha_ro: 2, fcall: 2, fcall_ro: 2,
};

/** the 7.0.15 commands with a getkeys_proc (commands.c) */
const HAS_PROC = new Set([
  ...Object.keys(NUMKEYS_AT), 'bitfield', 'migrate', 'sort', 'sort_ro', 'georadius', 'georadiusbymember', 'xread', 'xreadgroup', 'set',
]);

/** what key extraction reads of a command (a CommandInfo, or a served CommandSpec) */
export type KeyedCommand = Pick<CommandSpec, 'name' | 'arity' | 'flags' | 'firstKey' | 'lastKey' | 'step' | 'keySpecs'>;

/** key argument positions (in the command's own argv) and their flags */
interface Keys {
  pos: number[];
  flags: (readonly string[])[];
}

export function handler(c: Context, argv: Buffer[]): void {
  getKeysSubcommand(c, argv, false);
}

/** COMMAND GETKEYSANDFLAGS */
export function handlerWithFlags(c: Context, argv: Buffer[]): void {
  getKeysSubcommand(c, argv, true);
}

function getKeysSubcommand(c: Context, argv: Buffer[], withFlags: boolean): void {
  const args = argv.slice(2);
  let info = TABLE.get(lower(args[0]!));
  if (info && info.subcommands.length > 0 && args.length >= 2) info = info.subcommands.find((s) => s.name === `${info!.name}|${lower(args[1]!)}`) ?? info;
  if (!info) throw new ReplyError('ERR Invalid command specified');
  if (!doesCommandHaveKeys(info)) throw new ReplyError('ERR The command has no key arguments');
  if ((info.arity > 0 && info.arity !== args.length) || args.length < -info.arity) throw new ReplyError('ERR Invalid number of arguments specified for command');
  const keys = getKeysFromCommandWithSpecs(info, args);
  if (keys.pos.length === 0) {
    if (info.flags.includes('no_mandatory_keys')) return c.reply.array(0);
    throw new ReplyError('ERR Invalid arguments specified for command');
  }
  const w = c.reply;
  w.array(keys.pos.length);
  for (let i = 0; i < keys.pos.length; i++) {
    if (!withFlags) {
      w.bulk(args[keys.pos[i]!]!);
      continue;
    }
    w.array(2);
    w.bulk(args[keys.pos[i]!]!);
    const f = keys.flags[i]!;
    w.set(f.length);
    for (const x of f) w.simple(x);
  }
}

function doesCommandHaveKeys(info: KeyedCommand): boolean {
  return HAS_PROC.has(info.name) || info.keySpecs.some((k) => !k.flags.includes('not_key'));
}

/** getKeysFromCommandWithSpecs: `args[0]` is the command name */
export function getKeysFromCommandWithSpecs(info: KeyedCommand, args: Buffer[]): Keys {
  const hasKeySpec = info.keySpecs.some((k) => !k.flags.includes('not_key'));
  const hasVarFlags = info.keySpecs.some((k) => k.flags.includes('variable_flags'));
  if (hasKeySpec && !hasVarFlags) {
    const r = getKeysUsingKeySpecs(info.keySpecs, info.arity, args);
    if (r !== null) return r;
  }
  if (HAS_PROC.has(info.name)) return getKeysProc(info, args);
  return { pos: [], flags: [] };
}

/** getKeysUsingKeySpecs (db.c 7.0.15); null where it returns -1 (an invalid or incomplete spec) */
function getKeysUsingKeySpecs(specs: readonly KeySpec[], arity: number, argv: Buffer[]): Keys | null {
  const out: Keys = { pos: [], flags: [] };
  const argc = argv.length;
  for (const spec of specs) {
    if (spec.flags.includes('not_key')) continue;
    let first = 0;
    const bs = spec.begin_search;
    if (bs.type === 'index') first = bs.spec.index as number;
    else if (bs.type === 'keyword') {
      const from = bs.spec.startfrom as number;
      const keyword = bs.spec.keyword as string;
      const start = from > 0 ? from : argc + from;
      const end = from > 0 ? argc - 1 : 1;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (is(argv[i]!, keyword)) {
          first = i + 1;
          break;
        }
      }
      if (!first) continue;
    } else return null;
    const fk = spec.find_keys;
    let last: number;
    let step: number;
    if (fk.type === 'range') {
      step = fk.spec.keystep as number;
      const lastkey = fk.spec.lastkey as number;
      const limit = fk.spec.limit as number;
      if (lastkey >= 0) last = first + lastkey;
      else if (!limit) last = argc + lastkey;
      else last = first + (Math.trunc((argc - first) / limit) + lastkey);
    } else if (fk.type === 'keynum') {
      step = fk.spec.keystep as number;
      const idx = fk.spec.keynumidx as number;
      if (idx >= argc) return null;
      const a = argv[first + idx];
      const numkeys = a === undefined ? null : parseLongLong(a, 0, a.length);
      if (numkeys === null || numkeys < 0) return null;
      first += fk.spec.firstkey as number;
      last = first + numkeys - 1;
    } else return null;
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) {
      if (i >= argc || i < first) {
        if (arity < 0) continue;
        return null;
      }
      out.pos.push(i);
      out.flags.push(spec.flags);
    }
    if (spec.flags.includes('incomplete')) return null;
  }
  return out;
}

const RO_ACCESS = ['RO', 'access'];
const RW_ACCESS_UPDATE = ['RW', 'access', 'update'];
const OW_UPDATE = ['OW', 'update'];
const NONE: readonly string[] = [];

/** the native getkeys procs (db.c): setGetKeys, bitfieldGetKeys, sortGetKeys, migrateGetKeys flag their keys */
function getKeysProc(info: KeyedCommand, a: Buffer[]): Keys {
  const name = info.name;
  if (name === 'set') {
    // setGetKeys: GET makes it a read-write access
    for (let i = 3; i < a.length; i++) if (is(a[i]!, 'GET')) return { pos: [1], flags: [RW_ACCESS_UPDATE] };
    return { pos: [1], flags: [OW_UPDATE] };
  }
  if (name === 'bitfield') {
    let readonly = true;
    for (let i = 2; i < a.length; i++) {
      const rem = a.length - i - 1;
      if (is(a[i]!, 'GET') && rem >= 2) i += 2;
      else if ((is(a[i]!, 'SET') || is(a[i]!, 'INCRBY')) && rem >= 3) {
        readonly = false;
        break;
      } else if (is(a[i]!, 'OVERFLOW') && rem >= 1) i += 1;
      else {
        readonly = false;
        break;
      }
    }
    return { pos: [1], flags: [readonly ? RO_ACCESS : RW_ACCESS_UPDATE] };
  }
  if (name === 'migrate') {
    let first = 3;
    let num = 1;
    if (a.length > 6) {
      for (let i = 6; i < a.length; i++) {
        if (is(a[i]!, 'KEYS')) {
          if (a[3]!.length > 0) num = 0;
          else {
            first = i + 1;
            num = a.length - first;
          }
          break;
        }
        if (is(a[i]!, 'AUTH')) i += 1;
        else if (is(a[i]!, 'AUTH2')) i += 2;
      }
    }
    const pos = Array.from({ length: num }, (_, i) => first + i);
    return { pos, flags: pos.map(() => ['RW', 'access', 'delete']) };
  }
  const pos = keyIndexes(info, a) ?? [];
  if (name === 'sort' || name === 'sort_ro') return { pos, flags: pos.map((_, i) => (i === 0 ? RO_ACCESS : OW_UPDATE)) };
  return { pos, flags: pos.map(() => NONE) };
}

function keyIndexes(info: KeyedCommand, a: Buffer[]): number[] | null {
  const name = info.name;
  const out: number[] = [];
  if (name === 'sort' || name === 'sort_ro') {
    // sortGetKeys: LIMIT skips 2, GET and BY 1; the last STORE's argument is a key
    out.push(1);
    let store = -1;
    for (let i = 2; i < a.length; i++) {
      if (is(a[i]!, 'LIMIT')) i += 2;
      else if (is(a[i]!, 'GET') || is(a[i]!, 'BY')) i += 1;
      else if (name === 'sort' && is(a[i]!, 'STORE') && i + 1 < a.length) store = ++i;
    }
    if (store >= 0) out.push(store);
    return out;
  }
  if (name === 'georadius' || name === 'georadiusbymember') {
    // georadiusGetKeys: the source, and a STORE/STOREDIST key (the last one)
    out.push(1);
    let store = -1;
    for (let i = 5; i < a.length; i++) {
      if ((is(a[i]!, 'STORE') || is(a[i]!, 'STOREDIST')) && i + 1 < a.length) store = ++i;
    }
    if (store >= 0) out.push(store);
    return out;
  }
  if (name === 'xread' || name === 'xreadgroup') {
    let s = -1;
    for (let i = 1; i < a.length; i++) if (is(a[i]!, 'STREAMS')) { s = i; break; }
    if (s < 0) return null;
    const n = a.length - s - 1;
    if (n === 0 || n % 2 !== 0) return null;
    for (let i = s + 1; i < s + 1 + n / 2; i++) out.push(i);
    return out;
  }
  const at = NUMKEYS_AT[name];
  if (at !== undefined) {
    const nb = a[at];
    const n = nb === undefined ? null : parseLongLong(nb, 0, nb.length);
    // a bad numkeys, or more keys than arguments: no keys (getkeys then refuses)
    if (n === null || n < 0 || at + n >= a.length) return null;
    if (name === 'zunionstore' || name === 'zinterstore' || name === 'zdiffstore') out.push(1);
    for (let i = at + 1; i <= at + n; i++) out.push(i);
    return out;
  }
  if (info.firstKey <= 0) return null;
  const last = info.lastKey < 0 ? a.length + info.lastKey : info.lastKey;
  for (let i = info.firstKey; i <= last && i < a.length; i += Math.max(1, info.step)) out.push(i);
  return out;
}
