/** MEMORY STATS: memory of the modelled server, current with every write (src/instance/memory.ts). */
import type { Context } from './context.js';

export function handler(c: Context): void {
  const s = c.instance.memoryStats();
  const w = c.reply;
  w.map(s.fields.length);
  for (const [k, v] of s.fields) {
    w.bulkStr(k);
    if (typeof v === 'number') {
      if (Number.isInteger(v)) w.int(v);
      else w.double(v);
    } else if (typeof v === 'string') {
      w.bulkStr(v);
    } else {
      w.map(v.length);
      for (const [k2, v2] of v) {
        w.bulkStr(k2);
        w.int(v2);
      }
    }
  }
}
