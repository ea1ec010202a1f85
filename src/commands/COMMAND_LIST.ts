/** COMMAND LIST */
import { commandList } from './registry.js';
import type { Context } from './context.js';

export function handler(c: Context): void {
  const all = commandList();
  c.reply.array(all.length);
  for (const s of all) c.reply.bulkStr(s.name);
}
