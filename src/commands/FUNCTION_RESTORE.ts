/** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE] (functionRestoreCommand) */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { is } from './_util.js';
import { FunctionLibraries, readFunctionsPayload, verifyDumpPayload, type LibraryInfo } from '../scripting/index.js';
import { featuresOf } from '../memory/sizes.js';
import { createLibrary, fail } from './_functions.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length > 4) throw new ReplyError("ERR unknown subcommand or wrong number of arguments for 'restore'. Try FUNCTION HELP.");
  let policy: 'append' | 'replace' | 'flush' = 'append';
  if (argv.length === 4) {
    const p = argv[3]!;
    if (is(p, 'APPEND')) policy = 'append';
    else if (is(p, 'REPLACE')) policy = 'replace';
    else if (is(p, 'FLUSH')) policy = 'flush';
    else throw new ReplyError('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
  }
  const payload = Buffer.from(argv[2]!);
  if (verifyDumpPayload(payload) === null) throw new ReplyError('ERR DUMP payload version or checksum are wrong');
  const codes = readFunctionsPayload(payload);
  if (!Array.isArray(codes)) fail(codes.error);
  const s = c.instance.scripting;
  const scratch = new FunctionLibraries(featuresOf(c.instance.profile));
  const releaseScratch = () => s.engine.releaseFunctions([...scratch.functions.values()].map((f) => f.ref));
  for (const code of codes) {
    const r = createLibrary(c, code, false, scratch, 0);
    if (typeof r === 'string') {
      releaseScratch();
      fail(r);
    }
  }
  const current = s.libraries;
  if (policy === 'flush') {
    const old = current.clear();
    s.forgetLibraries();
    s.engine.releaseFunctions(old.flatMap((li) => [...li.functions.values()].map((f) => f.ref)));
  } else {
    // libraryJoin: library names first, then function names
    const replaced: LibraryInfo[] = [];
    for (const li of scratch.libraries.values()) {
      const old = current.libraries.get(li.name);
      if (!old) continue;
      if (policy === 'append') {
        for (const r of replaced) current.link(r);
        releaseScratch();
        fail(`Library ${li.name} already exists`);
      }
      current.unlink(old);
      replaced.push(old);
    }
    for (const name of scratch.functions.keys()) {
      if (current.functions.has(name)) {
        for (const r of replaced) current.link(r);
        releaseScratch();
        fail(`Function ${name} already exists`);
      }
    }
    s.engine.releaseFunctions(replaced.flatMap((li) => [...li.functions.values()].map((f) => f.ref)));
    for (const li of replaced) s.forgetLibrary(li.name);
  }
  for (const li of scratch.libraries.values()) {
    current.link(li);
    s.noteLibraryBytes(li.name, 0);
  }
  c.reply.ok();
}
