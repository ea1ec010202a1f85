/** FUNCTION LIST [WITHCODE] [LIBRARYNAME pattern] (functionListCommand) */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { is } from './_util.js';
import { globMatch } from '../rdb/glob.js';
import { SCRIPT_FLAGS } from '../scripting/index.js';

export function handler(c: Context, argv: Buffer[]): void {
  let withCode = false;
  let pattern: Buffer | null = null;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (!withCode && is(a, 'WITHCODE')) {
      withCode = true;
      continue;
    }
    if (pattern === null && is(a, 'LIBRARYNAME')) {
      if (i >= argv.length - 1) throw new ReplyError('ERR library name argument was not given');
      pattern = argv[++i]!;
      continue;
    }
    throw new ReplyError(`ERR Unknown argument ${a.latin1Slice(0, a.length)}`);
  }
  const libs = [...c.instance.scripting.libraries.libraries.values()].filter(
    (li) => pattern === null || globMatch(pattern, Buffer.from(li.name, 'latin1'), true),
  );
  const w = c.reply;
  w.array(libs.length);
  for (const li of libs) {
    w.map(withCode ? 4 : 3);
    w.bulkStr('library_name');
    w.bulkStr(li.name);
    w.bulkStr('engine');
    w.bulkStr('LUA');
    w.bulkStr('functions');
    w.array(li.functions.size);
    for (const fi of li.functions.values()) {
      w.map(3);
      w.bulkStr('name');
      w.bulkStr(fi.name);
      w.bulkStr('description');
      if (fi.description !== null) w.bulkStr(fi.description);
      else w.nullBulk();
      w.bulkStr('flags');
      const flags = SCRIPT_FLAGS.filter(([, bit]) => fi.flags & bit);
      w.set(flags.length);
      for (const [name] of flags) w.simple(name);
    }
    if (withCode) {
      w.bulkStr('library_code');
      w.bulk(li.code);
    }
  }
}
