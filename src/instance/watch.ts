/**
 * WATCH bookkeeping (multi.c, 7.0): which connections watch which keys of which db. A key is
 * touched by any write the engine makes to it (Database's onTouch hook: a value set or
 * changed, a TTL set, a key deleted, lazily or actively expired, flushed), which marks every
 * watcher dirty (touchWatchedKey); SWAPDB touches as touchAllWatchedKeysInDb does. EXEC of a
 * dirty watcher answers a null array.
 *
 * Keys are registered by db position (the index SELECT names), as Redis keeps watched_keys on
 * the redisDb slot, which SWAPDB does not move.
 */
import type { Database } from '../engine/database.js';

export interface WatchedKey {
  db: number;
  key: string;
  /** the key was logically expired (still stored) when WATCH ran: its deletion is no change */
  expired: boolean;
}

/** one connection's WATCH state */
export class Watcher {
  /** CLIENT_DIRTY_CAS */
  dirty = false;
  readonly keys: WatchedKey[] = [];
}

export class WatchRegistry {
  private readonly byDb = new Map<number, Map<string, Set<Watcher>>>();
  /** watched (connection, key) pairs */
  count = 0;

  /** watchForKey: `expired` is keyIsExpired at WATCH time */
  watch(w: Watcher, db: number, key: string, expired: boolean): void {
    for (const k of w.keys) if (k.db === db && k.key === key) return;
    let m = this.byDb.get(db);
    if (!m) this.byDb.set(db, (m = new Map()));
    let set = m.get(key);
    if (!set) m.set(key, (set = new Set()));
    set.add(w);
    w.keys.push({ db, key, expired });
    this.count++;
  }

  /** unwatchAllKeys (the dirty flag is the caller's to clear) */
  unwatchAll(w: Watcher): void {
    for (const k of w.keys) {
      const m = this.byDb.get(k.db);
      const set = m?.get(k.key);
      if (!set) continue;
      set.delete(w);
      this.count--;
      if (set.size === 0) m!.delete(k.key);
      if (m!.size === 0) this.byDb.delete(k.db);
    }
    w.keys.length = 0;
  }

  /** touchWatchedKey: after a write to `key` of the db at position `db` (`exists`: the key is stored now) */
  touch(db: number, key: string, exists: boolean): void {
    const set = this.byDb.get(db)?.get(key);
    if (!set) return;
    for (const w of [...set]) {
      const wk = w.keys.find((k) => k.db === db && k.key === key);
      if (wk?.expired && !exists) {
        // an already expired key was deleted: logically no change
        wk.expired = false;
        continue;
      }
      w.dirty = true;
      this.unwatchAll(w);
    }
  }

  /**
   * touchAllWatchedKeysInDb(emptied, replacedWith): before a SWAPDB, every watched key of
   * `emptied` that exists there or in `replacedWith` (with the expired-key exceptions).
   */
  touchAllInDb(db: number, emptied: Database, replacedWith: Database | null, now: number): void {
    const m = this.byDb.get(db);
    if (!m) return;
    const expiredIn = (d: Database, key: Buffer): boolean => {
      const id = d.ks.find(key);
      if (id < 0) return false;
      const at = d.ks.expireOf(id);
      return at >= 0 && at <= now;
    };
    for (const [key, set] of m) {
      const kb = Buffer.from(key, 'latin1');
      const inEmptied = emptied.ks.find(kb) >= 0;
      const inReplaced = replacedWith !== null && replacedWith.ks.find(kb) >= 0;
      if (!inEmptied && !inReplaced) continue;
      for (const w of set) {
        const wk = w.keys.find((k) => k.db === db && k.key === key)!;
        if (wk.expired) {
          if (!inReplaced) {
            wk.expired = false;
            continue;
          } else if (expiredIn(replacedWith!, kb)) continue;
        } else if (!inEmptied && replacedWith !== null && expiredIn(replacedWith, kb)) {
          wk.expired = true;
          continue;
        }
        w.dirty = true;
      }
    }
  }

  /** isWatchedKeyExpired: a key not expired at WATCH time that is now */
  anyNewlyExpired(w: Watcher, dbs: readonly Database[], now: number): boolean {
    for (const k of w.keys) {
      if (k.expired) continue;
      const d = dbs[k.db];
      if (!d) continue;
      const id = d.ks.find(Buffer.from(k.key, 'latin1'));
      if (id < 0) continue;
      const at = d.ks.expireOf(id);
      if (at >= 0 && at <= now) return true;
    }
    return false;
  }
}
