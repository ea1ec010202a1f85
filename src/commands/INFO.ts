/** INFO [section ...]: the instance's INFO text (src/instance/info.ts). */
import type { Context } from './context.js';
import { lower } from './_util.js';
import { ALL_SECTIONS, DEFAULT_SECTIONS, infoText } from '../instance/info.js';

export function handler(c: Context, argv: Buffer[]): void {
  let want = new Set<string>();
  if (argv.length === 1) want = new Set(DEFAULT_SECTIONS);
  for (let i = 1; i < argv.length; i++) {
    const s = lower(argv[i]!);
    if (s === 'all' || s === 'everything') for (const d of ALL_SECTIONS) want.add(d);
    else if (s === 'default') for (const d of DEFAULT_SECTIONS) want.add(d);
    else want.add(s);
  }
  c.reply.verbatim(infoText(c.instance, want));
}
