/** COMMAND [COUNT | INFO name ... | DOCS name ... | LIST]: from redis-server 7.0.15\u2019s own table, for the commands served here. */
import { commandList } from './registry.js';
import type { Context } from './context.js';
import type { CommandSpec } from './spec.js';
import type { KeySpec } from './command-info.js';

export function handler(c: Context): void {
  const all = commandList();
  c.reply.array(all.length);
  for (const s of all) writeInfo(c, s);
}

/** one COMMAND INFO entry (addReplyCommandInfo, server.c) */
export function writeInfo(c: Context, s: CommandSpec): void {
  const w = c.reply;
  w.array(10);
  w.bulkStr(s.name);
  w.int(s.arity);
  w.set(s.flags.length);
  for (const f of s.flags) w.simple(f);
  w.int(s.firstKey);
  w.int(s.lastKey);
  w.int(s.step);
  w.set(s.categories.length);
  for (const cat of s.categories) w.simple(cat);
  w.set(s.tips.length);
  for (const t of s.tips) w.bulkStr(t);
  writeKeySpecs(c, s.keySpecs);
  // addReplyCommandSubCommands: an empty set without subcommands, else an array
  const subs = s.subcommands ?? [];
  if (subs.length === 0) w.set(0);
  else w.array(subs.length);
  for (const sub of subs) writeInfo(c, sub);
}

/** addReplyCommandKeySpecs: a set of maps (notes, flags, begin_search, find_keys) */
export function writeKeySpecs(c: Context, specs: readonly KeySpec[]): void {
  const w = c.reply;
  w.set(specs.length);
  for (const k of specs) {
    w.map(k.notes !== undefined ? 4 : 3);
    if (k.notes !== undefined) {
      w.bulkStr('notes');
      w.bulkStr(k.notes);
    }
    w.bulkStr('flags');
    w.set(k.flags.length);
    for (const f of k.flags) w.simple(f);
    for (const [name, part] of [['begin_search', k.begin_search], ['find_keys', k.find_keys]] as const) {
      w.bulkStr(name);
      w.map(2);
      w.bulkStr('type');
      w.bulkStr(part.type);
      w.bulkStr('spec');
      const e = Object.entries(part.spec);
      w.map(e.length);
      for (const [key, v] of e) {
        w.bulkStr(key);
        if (typeof v === 'number') w.int(v);
        else w.bulkStr(v);
      }
    }
  }
}
