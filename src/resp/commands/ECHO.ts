/** ECHO message */
import type { Client } from '../client.js';

export function handler(c: Client, argv: Buffer[]): void {
  c.w.bulk(argv[1]!);
}
