/** SCRIPT KILL */
import type { Context } from './context.js';
import { scriptKill } from './_kill.js';

export function handler(c: Context): void {
  scriptKill(c, true);
}
