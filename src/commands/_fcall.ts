/** FCALL / FCALL_RO (fcallCommandGeneric, functions.c) */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { mayYield, numKeys, prepareForRun, replyOutcome, scriptHost } from './_scripting.js';

export function fcallGeneric(c: Context, argv: Buffer[], ro: boolean): void {
  const s = c.instance.scripting;
  const fi = s.libraries.find(argv[1]!.latin1Slice(0, argv[1]!.length));
  if (!fi) throw new ReplyError('ERR Function not found');
  const nkeys = numKeys(argv, true);
  const run = prepareForRun(c, { scriptFlags: fi.flags, ro });
  const host = scriptHost(c, run);
  const outcome = s.engine.callFunction(
    { name: fi.name, description: fi.description, flags: [], ref: fi.ref },
    argv.slice(3, 3 + nkeys),
    argv.slice(3 + nkeys),
    c.resp === 3 ? 3 : 2,
    host,
    mayYield(c),
    argv,
  );
  replyOutcome(c, outcome);
}
