/** ZINTERSTORE destination numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] */
import type { Context } from './context.js';
import { zstoreCommand } from './_zstore.js';

export function handler(c: Context, argv: Buffer[]): void {
  zstoreCommand(c, argv, true);
}
