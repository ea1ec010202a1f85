/** FUNCTION STATS: the running function and the engines' counts */
import type { Context } from './context.js';

export function handler(c: Context): void {
  const s = c.instance.scripting;
  const w = c.reply;
  const run = s.engine.running;
  w.map(2);
  w.bulkStr('running_script');
  if (run === null || run.kind !== 'function') w.nullBulk();
  else {
    w.map(3);
    w.bulkStr('name');
    w.bulkStr(run.name);
    w.bulkStr('command');
    w.array(run.argv.length);
    for (const a of run.argv) w.bulk(a);
    w.bulkStr('duration_ms');
    w.int(Date.now() - run.startedAt);
  }
  w.bulkStr('engines');
  w.map(1);
  w.bulkStr('LUA');
  w.map(2);
  w.bulkStr('libraries_count');
  w.int(s.libraries.libraries.size);
  w.bulkStr('functions_count');
  w.int(s.libraries.functions.size);
}
