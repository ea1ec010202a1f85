/** ZPOPMAX key [count] */
import type { Context } from './context.js';
import { zpopCommand } from './_zpop.js';

export function handler(c: Context, argv: Buffer[]): void {
  zpopCommand(c, argv, true);
}
