/** SCRIPT EXISTS sha [sha ...]: 1 or 0 each */
import type { Context } from './context.js';

export function handler(c: Context, argv: Buffer[]): void {
  const scripts = c.instance.scripting.scripts;
  c.reply.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const sha = argv[j]!.latin1Slice(0, argv[j]!.length).toLowerCase();
    c.reply.int(sha.length === 40 && scripts.has(sha) ? 1 : 0);
  }
}
