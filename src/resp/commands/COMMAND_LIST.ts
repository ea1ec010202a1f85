/** COMMAND LIST */
import type { Client } from '../client.js';

export function handler(c: Client): void {
  const all = c.server.commandList();
  c.w.array(all.length);
  for (const s of all) c.w.bulkStr(s.name);
}
