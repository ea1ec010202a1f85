/** COMMAND DOCS [name ...]: the docs redis-server 7.0.15 gives (redis-cli reads them for its hints). */
import { commandList, commandByFullName } from './registry.js';
import type { Context } from './context.js';
import { COMMAND_DOCS } from './command-info.js';
import { lower } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const names = argv.length > 2 ? argv.slice(2).map(lower) : commandList().map((s) => s.name);
  const found = names.filter((n) => docOf(n) !== undefined && commandByFullName(n) !== undefined);
  c.reply.map(found.length);
  for (const n of found) {
    c.reply.bulkStr(n);
    writeDoc(c, docOf(n)!, true);
  }
}

/** the stored docs of a command, or of `container|sub` from its container's subcommands */
function docOf(name: string): unknown[] | undefined {
  const bar = name.indexOf('|');
  if (bar < 0) return COMMAND_DOCS[name];
  const doc = COMMAND_DOCS[name.slice(0, bar)];
  if (!doc) return undefined;
  for (let i = 0; i + 1 < doc.length; i += 2) {
    if (doc[i] !== 'subcommands') continue;
    const subs = doc[i + 1] as unknown[];
    for (let j = 0; j + 1 < subs.length; j += 2) if (subs[j] === name) return subs[j + 1] as unknown[];
  }
  return undefined;
}

/** the stored reply: flat key/value arrays become maps in RESP3 */
function writeDoc(c: Context, v: unknown, isMap: boolean): void {
  if (Array.isArray(v)) {
    if (isMap) {
      c.reply.map(v.length / 2);
      for (let i = 0; i < v.length; i += 2) {
        const k = v[i] as string;
        c.reply.bulkStr(k);
        const val = v[i + 1];
        if (k === 'arguments') {
          const args = val as unknown[];
          c.reply.array(args.length);
          for (const a of args) writeDoc(c, a, true);
        } else if (k === 'subcommands') {
          const subs = val as unknown[];
          c.reply.map(subs.length / 2);
          for (let j = 0; j < subs.length; j += 2) {
            c.reply.bulkStr(String(subs[j]));
            writeDoc(c, subs[j + 1], true);
          }
        }
        else if (k === 'history') {
          // addReplyCommandHistory: a set of [version, description] pairs
          const h = val as unknown[];
          c.reply.set(h.length);
          for (const e of h) writeDoc(c, e, false);
        } else if (k === 'doc_flags' || k === 'flags') {
          const f = val as unknown[];
          c.reply.set(f.length);
          for (const x of f) c.reply.simple(String(x));
        } else writeDoc(c, val, false);
      }
      return;
    }
    c.reply.array(v.length);
    for (const e of v) writeDoc(c, e, false);
    return;
  }
  if (typeof v === 'number') c.reply.int(v);
  else if (v === null) c.reply.nullBulk();
  else c.reply.bulkStr(String(v));
}
