/** CLIENT PAUSE timeout [WRITE|ALL] (networking.c 7.0): commands wait until the pause ends (src/resp holds them). */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { is } from './_util.js';
import { parseTimeout } from './_blocking.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length > 4) throw new ReplyError("ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP.");
  let writeOnly = false;
  if (argv.length === 4) {
    if (is(argv[3]!, 'WRITE')) writeOnly = true;
    else if (!is(argv[3]!, 'ALL')) throw new ReplyError('ERR CLIENT PAUSE mode must be WRITE or ALL');
  }
  const ms = parseTimeout(argv[2]!, 'milliseconds');
  const until = Date.now() + ms;
  const cur = c.instance.pause;
  // pauseClients: the later end and the stronger mode win
  if (!cur || until > cur.until || (!writeOnly && cur.writeOnly)) {
    c.instance.pause = { until: Math.max(until, cur?.until ?? 0), writeOnly: writeOnly && (cur?.writeOnly ?? true) };
  }
  c.reply.ok();
}
