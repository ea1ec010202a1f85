/** XREADGROUP GROUP group consumer [COUNT count] [BLOCK ms] [NOACK] STREAMS key [key ...] id [id ...]: see XREAD.ts */
import type { Context } from './context.js';
import { xreadGeneric } from './XREAD.js';

export function handler(c: Context, argv: Buffer[]): void {
  xreadGeneric(c, argv, true);
}
