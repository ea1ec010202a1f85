/** CONFIG GET parameter [parameter ...]: the modelled server configuration, with what CONFIG SET changed. */
import type { Context } from './context.js';
import { globMatch } from '../rdb/glob.js';
import { configValues } from '../instance/config.js';

export function handler(c: Context, argv: Buffer[]): void {
  const cfg = c.instance.settings.values(configValues(c.instance));
  const out = new Map<string, string>();
  for (let i = 2; i < argv.length; i++) {
    const pat = argv[i]!;
    const lowPat = Buffer.from(pat.toString('latin1').toLowerCase(), 'latin1');
    for (const [k, v] of cfg) if (globMatch(lowPat, Buffer.from(k, 'latin1'))) out.set(k, v);
  }
  c.reply.map(out.size);
  for (const [k, v] of out) {
    c.reply.bulkStr(k);
    c.reply.bulkStr(v);
  }
}
