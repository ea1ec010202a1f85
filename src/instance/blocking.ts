/**
 * Clients blocked on keys (blocked.c, 7.0), the data side: who waits on which key of which db
 * (FIFO per key), the keys made ready by a write (signalKeyAsReady: the engine's onTouch hook
 * calls `touched` for every key a write creates, changes or deletes), and the serving pass run
 * after each top-level command (handleClientsBlockedOnKeys). What a waiter does when served,
 * times out or is unblocked is the command layer's (src/commands/_blocking.ts).
 */

export interface BlockedWaiter {
  /** db position the keys belong to */
  readonly db: number;
  /** the keys (latin1 of their bytes), each once */
  readonly keys: readonly string[];
  /** the key is ready: serve the client if the key now allows it; true = served (then removed) */
  serve(key: Buffer): boolean;
  /** has a timeout (INFO clients_in_timeout_table) */
  readonly timed: boolean;
}

const SEP = '\u0000';

export class BlockingRegistry {
  private readonly byKey = new Map<string, BlockedWaiter[]>();
  private readonly waiters = new Set<BlockedWaiter>();
  private readonly ready = new Map<string, { db: number; key: string }>();
  private serving = false;

  /** blocked clients (INFO blocked_clients) */
  get count(): number {
    return this.waiters.size;
  }

  get timedCount(): number {
    let n = 0;
    for (const w of this.waiters) if (w.timed) n++;
    return n;
  }

  has(w: BlockedWaiter): boolean {
    return this.waiters.has(w);
  }

  /** blockForKeys */
  add(w: BlockedWaiter): void {
    this.waiters.add(w);
    for (const k of w.keys) {
      const id = w.db + SEP + k;
      let list = this.byKey.get(id);
      if (!list) this.byKey.set(id, (list = []));
      list.push(w);
    }
  }

  /** unblockClient's key part */
  remove(w: BlockedWaiter): void {
    if (!this.waiters.delete(w)) return;
    for (const k of w.keys) {
      const id = w.db + SEP + k;
      const list = this.byKey.get(id);
      if (!list) continue;
      const i = list.indexOf(w);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.byKey.delete(id);
    }
  }

  /** signalKeyAsReady: a write touched `key` of the db at position `db` */
  touched(db: number, key: string): void {
    const id = db + SEP + key;
    if (this.byKey.has(id) && !this.ready.has(id)) this.ready.set(id, { db, key });
  }

  /** scanDatabaseForReadyKeys (SWAPDB): every waited-on key of the db at position `db` is offered again */
  readyAll(db: number): void {
    const prefix = db + SEP;
    for (const id of this.byKey.keys()) if (id.startsWith(prefix) && !this.ready.has(id)) this.ready.set(id, { db, key: id.slice(prefix.length) });
  }

  get hasReady(): boolean {
    return this.ready.size > 0;
  }

  /**
   * handleClientsBlockedOnKeys: serve the waiters of every ready key in FIFO order, as long as
   * the key allows; serving may make more keys ready (BLMOVE's destination), which are served
   * in the same pass.
   */
  serveReady(): void {
    if (this.serving) return;
    this.serving = true;
    try {
      while (this.ready.size > 0) {
        const batch = [...this.ready.values()];
        this.ready.clear();
        for (const { db, key } of batch) {
          const list = this.byKey.get(db + SEP + key);
          if (!list) continue;
          const kb = Buffer.from(key, 'latin1');
          for (const w of [...list]) {
            if (!this.waiters.has(w)) continue;
            // every waiter is offered the key: a stream reader may take what an earlier one may not
            if (w.serve(kb)) this.remove(w);
          }
        }
      }
    } finally {
      this.serving = false;
    }
  }
}
