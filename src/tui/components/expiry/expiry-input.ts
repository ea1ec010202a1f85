/**
 * Expiry's keys: moving; Enter lists the bucket's keys (Top keys by TTL, from its first key).
 */
import type { NavKey } from '../../hooks/use-key-router.js';
import { tableKey, type TableHandle } from '../table/index.js';

export function expiryInput(state: TableHandle, input: string, key: NavKey, onOpen: (bucket: number) => void): boolean {
  if (tableKey(state.dispatch, input, key)) return true;
  if (!key.return) return false;
  onOpen(state.get().cursor);
  return true;
}
