/** Client types and lookups for CLIENT KILL / LIST / UNBLOCK (getClientType, networking.c). */
import type { Connection } from './context.js';

export type ClientType = 'normal' | 'slave' | 'pubsub' | 'master';

/** getClientTypeByName; null for an unknown name */
export function clientTypeByName(name: string): ClientType | null {
  const n = name.toLowerCase();
  if (n === 'normal') return 'normal';
  if (n === 'slave' || n === 'replica') return 'slave';
  if (n === 'pubsub') return 'pubsub';
  if (n === 'master') return 'master';
  return null;
}

/** getClientType: a MONITOR is not a replica; a subscriber is pubsub */
export function clientType(c: Connection): ClientType {
  if (c.session.subscriptions > 0) return 'pubsub';
  return 'normal';
}

export function connectionById(self: Connection, id: number): Connection | null {
  for (const p of self.peers()) if (p.id === id) return p;
  return null;
}
