/** ZREVRANGE key start stop [WITHSCORES] */
import type { Client } from '../client.js';
import { zrangeGeneric } from './ZRANGE.js';

export function handler(c: Client, argv: Buffer[]): void {
  zrangeGeneric(c, argv, true);
}
