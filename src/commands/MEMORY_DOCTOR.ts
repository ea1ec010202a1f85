/** MEMORY DOCTOR: getMemoryDoctorReport (object.c) over the modelled figures. */
import type { Context } from './context.js';
import { memoryDoctor } from '../instance/memory.js';

export function handler(c: Context): void {
  let text = memoryDoctor(c.instance);
  const dump = c.instance.dumpDoctor();
  if (dump) text += `\n\nrdblens doctor, on the dump(s) as loaded:\n${dump}`;
  c.reply.verbatim(text);
}
