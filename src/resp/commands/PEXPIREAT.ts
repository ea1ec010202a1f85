/** PEXPIREAT key time [NX|XX|GT|LT] */
import type { Client } from '../client.js';
import { expireGeneric } from './EXPIRE.js';

export function handler(c: Client, argv: Buffer[]): void {
  expireGeneric(c, argv, 1, false, 'pexpireat');
}
