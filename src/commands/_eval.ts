/** EVAL, EVALSHA, EVAL_RO, EVALSHA_RO (evalGenericCommand, eval.c 7.0) */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { ScriptCache, extractShebangFlags } from '../scripting/index.js';
import { mayYield, numKeys, prepareForRun, replyOutcome, scriptHost } from './_scripting.js';

export function evalGeneric(c: Context, argv: Buffer[], bySha: boolean, ro: boolean): void {
  const nkeys = numKeys(argv, false);
  const scripting = c.instance.scripting;
  let sha: string;
  let cached = undefined as ReturnType<typeof scripting.scripts.get>;
  if (bySha) {
    sha = argv[1]!.latin1Slice(0, argv[1]!.length).toLowerCase();
    cached = sha.length === 40 ? scripting.scripts.get(sha) : undefined;
    if (!cached) throw new ReplyError('NOSCRIPT No matching script. Please use EVAL.');
  } else {
    const body = argv[1]!;
    sha = ScriptCache.sha(body);
    cached = scripting.scripts.get(sha);
    if (!cached) cached = createFunction(c, sha, Buffer.from(body));
  }
  const run = prepareForRun(c, { scriptFlags: cached.flags, ro });
  const host = scriptHost(c, run);
  const body = cached.body;
  const code = codeOf(body);
  const outcome = scripting.engine.eval(sha, code, argv.slice(3, 3 + nkeys), argv.slice(3 + nkeys), c.resp === 3 ? 3 : 2, host, mayYield(c), argv);
  replyOutcome(c, outcome);
}

/** the body as compiled: the shebang line skipped, its newline kept (line numbers stay) */
export function codeOf(body: Buffer): Buffer {
  const sb = extractShebangFlags(body);
  return 'error' in sb || sb.shebangLength === 0 ? body : body.subarray(sb.shebangLength);
}

/** luaCreateFunction: shebang flags, compile, cache (errors as Redis words them) */
export function createFunction(c: Context, sha: string, body: Buffer) {
  const scripting = c.instance.scripting;
  const known = scripting.scripts.get(sha);
  if (known) return known;
  const sb = extractShebangFlags(body);
  if ('error' in sb) throw new ReplyError(`ERR ${sb.error}`);
  const code = sb.shebangLength === 0 ? body : body.subarray(sb.shebangLength);
  const err = scripting.engine.compile(sha, code);
  if (err !== null) throw new ReplyError(`ERR ${err.replace(/[\r\n]+/g, ' ')}`);
  return scripting.scripts.add(sha, body, sb.flags);
}
