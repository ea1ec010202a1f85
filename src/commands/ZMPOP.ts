/** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
import type { Context } from './context.js';
import { mpopCommand } from './_mpop.js';

export function handler(c: Context, argv: Buffer[]): void {
  mpopCommand(c, argv, true);
}
