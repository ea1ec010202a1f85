/**
 * Client-side caching (tracking.c, 7.0.15): the keys each tracking client read (TrackingTable:
 * key → the connections that may cache it), the BCAST prefixes (PrefixTable: prefix → its
 * clients and the keys modified since the last broadcast), and the invalidation messages.
 *
 * A write, a key's expiry or a flush reaches invalidate() through the engine's per-key hook
 * (Instance.keyTouched); a tracking connection then gets `>2 invalidate [key]` (RESP3) or,
 * redirected to a RESP2 connection subscribed to __redis__:invalidate, a pub/sub message on that
 * channel. Messages for the connection running the command wait until its reply is written
 * (tracking_pending_keys). BCAST keys are sent once per event-loop turn, in one message per
 * prefix (trackingBroadcastInvalidationMessages, beforeSleep). Keys are tracked by name, whatever
 * the db, as in Redis.
 */
import type { Connection } from '../commands/context.js';

const TRACKING_CHANNEL = Buffer.from('__redis__:invalidate');

interface Bcast {
  clients: Set<Connection>;
  /** key (latin1) → the connection that modified it (for NOLOOP), in first-modified order */
  keys: Map<string, Connection | null>;
}

function bulk(b: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n')]);
}

export class TrackingTable {
  /** key (latin1) → the connections that read it */
  private readonly table = new Map<string, Set<Connection>>();
  private totalItems = 0;
  private readonly prefixes = new Map<string, Bcast>();
  /** connections with tracking on (server.tracking_clients) */
  readonly clients = new Set<Connection>();
  /** the connection whose command is running (server.current_client), null outside commands */
  current: Connection | null = null;
  /** messages for `current`, sent after its reply (null: a flush) */
  private pending: (Buffer | null)[] = [];
  private broadcastScheduled = false;

  get count(): number {
    return this.clients.size;
  }

  /** INFO stats: tracking_total_keys, tracking_total_items, tracking_total_prefixes */
  figures(): { keys: number; items: number; prefixes: number } {
    return { keys: this.table.size, items: this.totalItems, prefixes: this.prefixes.size };
  }

  /**
   * checkPrefixCollisionsOrReply: the error for prefixes that overlap one another or one the
   * connection already has, or null.
   */
  prefixCollision(conn: Connection, prefixes: readonly Buffer[]): string | null {
    const overlap = (a: Buffer, b: Buffer): boolean => a.subarray(0, Math.min(a.length, b.length)).equals(b.subarray(0, Math.min(a.length, b.length)));
    const own = [...this.prefixes].filter(([, bs]) => bs.clients.has(conn)).map(([p]) => Buffer.from(p, 'latin1'));
    for (let i = 0; i < prefixes.length; i++) {
      const p = prefixes[i]!;
      for (const o of own) {
        if (overlap(o, p)) return `ERR Prefix '${p.toString('latin1')}' overlaps with an existing prefix '${o.toString('latin1')}'. Prefixes for a single client must not overlap.`;
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (overlap(p, prefixes[j]!)) return `ERR Prefix '${p.toString('latin1')}' overlaps with another provided prefix '${prefixes[j]!.toString('latin1')}'. Prefixes for a single client must not overlap.`;
      }
    }
    return null;
  }

  /** enableTracking: `session.tracking` is already set; register the BCAST prefixes */
  enable(conn: Connection, bcast: boolean, prefixes: readonly Buffer[]): void {
    this.clients.add(conn);
    if (!bcast) return;
    const list = prefixes.length === 0 ? [''] : prefixes.map((p) => p.toString('latin1'));
    for (const p of list) {
      let bs = this.prefixes.get(p);
      if (!bs) {
        bs = { clients: new Set(), keys: new Map() };
        this.prefixes.set(p, bs);
      }
      bs.clients.add(conn);
    }
  }

  /** disableTracking (CLIENT TRACKING OFF, RESET, the connection closing) */
  disable(conn: Connection): void {
    this.clients.delete(conn);
    for (const [p, bs] of this.prefixes) {
      if (bs.clients.delete(conn) && bs.clients.size === 0) this.prefixes.delete(p);
    }
  }

  /** the prefixes a BCAST connection registered (CLIENT TRACKINGINFO) */
  prefixesOf(conn: Connection): string[] {
    return [...this.prefixes].filter(([, bs]) => bs.clients.has(conn)).map(([p]) => p);
  }

  /** trackingRememberKeys: `conn` read these keys */
  remember(conn: Connection, keys: readonly Buffer[]): void {
    for (const k of keys) {
      const name = k.latin1Slice(0, k.length);
      let ids = this.table.get(name);
      if (!ids) {
        ids = new Set();
        this.table.set(name, ids);
      }
      if (!ids.has(conn)) {
        ids.add(conn);
        this.totalItems++;
      }
    }
  }

  /** trackingInvalidateKey(c, key, bcast=1): `key` was modified, expired or deleted */
  invalidate(key: Buffer): void {
    if (this.flushing) return;
    const name = key.latin1Slice(0, key.length);
    if (this.prefixes.size > 0) {
      for (const [p, bs] of this.prefixes) {
        if (p.length > name.length || !name.startsWith(p)) continue;
        if (!bs.keys.has(name)) bs.keys.set(name, this.current);
        this.scheduleBroadcast();
      }
    }
    const ids = this.table.get(name);
    if (!ids) return;
    const value = Buffer.concat([Buffer.from('*1\r\n'), bulk(key)]);
    for (const target of ids) {
      const t = target.session.tracking;
      if (!this.clients.has(target) || t === null || t.bcast) continue;
      if (t.noloop && target === this.current) continue;
      if (target === this.current) this.pending.push(value);
      else this.send(target, value);
    }
    this.totalItems -= ids.size;
    this.table.delete(name);
  }

  private flushing = false;

  /**
   * emptyData's tracking side: `empty` removes the keys without a per-key invalidation, then
   * every tracking connection is told to drop everything (trackingInvalidateKeysOnFlush).
   */
  flush(empty: () => void): void {
    this.flushing = true;
    try {
      empty();
    } finally {
      this.flushing = false;
    }
    if (this.clients.size === 0) return;
    for (const c of this.clients) {
      if (c === this.current) this.pending.push(null);
      else this.send(c, this.nullFor(c));
    }
    this.table.clear();
    this.totalItems = 0;
  }

  /** trackingHandlePendingKeyInvalidations: after the running command's reply */
  afterCommand(conn: Connection | null): void {
    if (this.pending.length === 0) return;
    const p = this.pending;
    this.pending = [];
    if (conn === null) return;
    for (const v of p) this.send(conn, v ?? this.nullFor(conn));
  }

  private nullFor(c: Connection): Buffer {
    return Buffer.from(c.ctx.resp === 3 ? '_\r\n' : '$-1\r\n');
  }

  /**
   * sendTrackingMessage: `value` (the invalidated keys, already encoded) to `c`, or to the
   * connection it redirects to; a missing redirect target is reported to a RESP3 client once.
   */
  private send(c: Connection, value: Buffer): void {
    const t = c.session.tracking;
    if (t === null) return;
    let to = c;
    let redirected = false;
    if (t.redirect !== 0) {
      let r: Connection | null = null;
      for (const p of c.peers()) if (p.id === t.redirect) r = p;
      if (r === null) {
        t.brokenRedir = true;
        if (c.ctx.resp === 3) c.push(Buffer.from(`>2\r\n$21\r\ntracking-redir-broken\r\n:${t.redirect}\r\n`));
        return;
      }
      to = r;
      redirected = true;
    }
    if (to.ctx.resp === 3) to.push(Buffer.concat([Buffer.from('>2\r\n$10\r\ninvalidate\r\n'), value]));
    else if (redirected && to.session.subscriptions > 0) to.push(Buffer.concat([Buffer.from('*3\r\n$7\r\nmessage\r\n'), bulk(TRACKING_CHANNEL), value]));
  }

  private scheduleBroadcast(): void {
    if (this.broadcastScheduled) return;
    this.broadcastScheduled = true;
    setImmediate(() => this.broadcast());
  }

  /** trackingBroadcastInvalidationMessages (beforeSleep) */
  private broadcast(): void {
    this.broadcastScheduled = false;
    // the PrefixTable rax: prefixes in byte order
    for (const p of [...this.prefixes.keys()].sort()) {
      const bs = this.prefixes.get(p)!;
      if (bs.keys.size === 0) continue;
      // the prefix's keys rax: in byte order
      const keys = [...bs.keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      bs.keys = new Map();
      const all = this.encodeKeys(keys, null);
      for (const c of bs.clients) {
        if (c.session.tracking?.noloop) {
          const own = this.encodeKeys(keys, c);
          if (own !== null) this.send(c, own);
        } else this.send(c, all!);
      }
    }
  }

  /** trackingBuildBroadcastReply: the keys as an array, without those `except` modified (null: none left) */
  private encodeKeys(keys: [string, Connection | null][], except: Connection | null): Buffer | null {
    const parts: Buffer[] = [];
    for (const [k, by] of keys) if (except === null || by !== except) parts.push(bulk(Buffer.from(k, 'latin1')));
    if (parts.length === 0) return null;
    return Buffer.concat([Buffer.from(`*${parts.length}\r\n`), ...parts]);
  }
}
