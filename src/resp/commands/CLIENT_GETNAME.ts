/** CLIENT GETNAME */
import type { Client } from '../client.js';

export function handler(c: Client): void {
  if (c.name === '') c.w.nullBulk();
  else c.w.bulkStr(c.name);
}
