/** COMMAND [COUNT | INFO name ... | DOCS name ... | LIST]: from redis-server 7.0.15\u2019s own table, for the commands served here. */
import { commandList } from './registry.js';
import type { Context } from './context.js';
import type { CommandSpec } from './spec.js';

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
  w.set(0); // tips
  w.array(0); // key specs
  const subs = s.subcommands ?? [];
  w.array(subs.length);
  for (const sub of subs) writeInfo(c, sub);
}
