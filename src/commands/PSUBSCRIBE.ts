/** PSUBSCRIBE (pubsub.c, 7.0): see _pubsub.ts. */
import type { Context } from './context.js';
import { subscribe } from './_pubsub.js';

export function handler(c: Context, argv: Buffer[]): void {
  subscribe(c, argv, 'pattern');
}
