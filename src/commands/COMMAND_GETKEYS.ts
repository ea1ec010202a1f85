/**
 * COMMAND GETKEYS command [arg ...] (getKeysSubcommandImpl, server.c 7.0): the key arguments of
 * any 7.0.15 command (command-info.ts), by its first/last/step key positions, or for the
 * movable-keys commands by their own rules (sortGetKeys, georadiusGetKeys, the numkeys
 * commands, EVAL/FCALL, XREAD/XREADGROUP STREAMS).
 */
import type { Context } from './context.js';
import { COMMAND_INFO, type CommandInfo } from './command-info.js';
import { ReplyError } from './errors.js';
import { parseLongLong } from '../protocol/decoder.js';
import { is, lower } from './_util.js';

const TABLE = new Map<string, CommandInfo>(COMMAND_INFO.map((i) => [i.name, i]));

/** argv index of the numkeys argument, for the commands that take one */
const NUMKEYS_AT: Record<string, number> = {
  zunionstore: 2, zinterstore: 2, zdiffstore: 2, zunion: 1, zinter: 1, zdiff: 1, zintercard: 1, sintercard: 1,
  lmpop: 1, zmpop: 1, blmpop: 2, bzmpop: 2, eval: 2, evalsha: 2, eval_ro: 2, evalsha_ro: 2, fcall: 2, fcall_ro: 2,
};

export function handler(c: Context, argv: Buffer[]): void {
  const args = argv.slice(2);
  let info = TABLE.get(lower(args[0]!));
  if (info && info.subcommands.length > 0 && args.length >= 2) info = info.subcommands.find((s) => s.name === `${info!.name}|${lower(args[1]!)}`) ?? info;
  if (!info) throw new ReplyError('ERR Invalid command specified');
  const movable = info.flags.includes('movablekeys');
  if (info.firstKey === 0 && !movable) throw new ReplyError('ERR The command has no key arguments');
  if ((info.arity > 0 && info.arity !== args.length) || args.length < -info.arity) throw new ReplyError('ERR Invalid number of arguments specified for command');
  const keys = keyIndexes(info, args);
  if (keys === null || (keys.length === 0 && !info.flags.includes('no_mandatory_keys'))) {
    if (info.flags.includes('no_mandatory_keys')) return c.reply.array(0);
    throw new ReplyError('ERR Invalid arguments specified for command');
  }
  c.reply.array(keys.length);
  for (const k of keys) c.reply.bulk(args[k]!);
}

function keyIndexes(info: CommandInfo, a: Buffer[]): number[] | null {
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
