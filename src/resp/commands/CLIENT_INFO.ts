/** CLIENT INFO */
import type { Client } from '../client.js';

export function handler(c: Client): void {
  c.w.verbatim(c.info() + '\n');
}
