/** UNSUBSCRIBE (pubsub.c, 7.0): see _pubsub.ts. */
import type { Context } from './context.js';
import { unsubscribe } from './_pubsub.js';

export function handler(c: Context, argv: Buffer[]): void {
  unsubscribe(c, argv, 'channel');
}
