/** COMMAND COUNT */
import { commandList } from './registry.js';
import type { Context } from './context.js';

export function handler(c: Context): void {
  c.reply.int(commandList().length);
}
