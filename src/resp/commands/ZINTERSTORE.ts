/** ZINTERSTORE destination numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] */
import type { Client } from '../client.js';
import { zstoreCommand } from './_zstore.js';

export function handler(c: Client, argv: Buffer[]): void {
  zstoreCommand(c, argv, true);
}
