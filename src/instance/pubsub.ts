/**
 * Pub/sub of one server (pubsub.c, 7.0): channel and pattern subscriptions, shard channels,
 * PUBLISH's delivery, and keyspace notifications (notify.c): `notifyKeyspaceEvent(type, event,
 * key, dbid)` publishes `__keyspace@<db>__:<key>` and `__keyevent@<db>__:<event>` as the
 * notify-keyspace-events classes ask. A subscriber is any connection that can take
 * out-of-band bytes (`push`); messages are encoded in its protocol (RESP3: push type).
 *
 * Channel names are kept as latin1 strings of their bytes.
 */
import { globMatch } from '../rdb/glob.js';

export const NOTIFY = {
  KEYSPACE: 1 << 0,
  KEYEVENT: 1 << 1,
  GENERIC: 1 << 2,
  STRING: 1 << 3,
  LIST: 1 << 4,
  SET: 1 << 5,
  HASH: 1 << 6,
  ZSET: 1 << 7,
  EXPIRED: 1 << 8,
  EVICTED: 1 << 9,
  STREAM: 1 << 10,
  KEY_MISS: 1 << 11,
  LOADED: 1 << 12,
  MODULE: 1 << 13,
  NEW: 1 << 14,
} as const;
const N = NOTIFY;
export const NOTIFY_ALL = N.GENERIC | N.STRING | N.LIST | N.SET | N.HASH | N.ZSET | N.EXPIRED | N.EVICTED | N.STREAM | N.MODULE;

/** keyspaceEventsStringToFlags (notify.c): -1 for a character outside the classes */
export function keyspaceEventsFlags(classes: string): number {
  let flags = 0;
  const map: Record<string, number> = {
    A: NOTIFY_ALL, g: N.GENERIC, $: N.STRING, l: N.LIST, s: N.SET, h: N.HASH, z: N.ZSET, x: N.EXPIRED,
    e: N.EVICTED, K: N.KEYSPACE, E: N.KEYEVENT, t: N.STREAM, m: N.KEY_MISS, d: N.MODULE, n: N.NEW,
  };
  for (const ch of classes) {
    const f = map[ch];
    if (f === undefined) return -1;
    flags |= f;
  }
  return flags;
}

/** keyspaceEventsFlagsToString (notify.c) */
export function keyspaceEventsString(flags: number): string {
  let s = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) s += 'A';
  else {
    const order: [number, string][] = [
      [N.GENERIC, 'g'], [N.STRING, '$'], [N.LIST, 'l'], [N.SET, 's'], [N.HASH, 'h'], [N.ZSET, 'z'],
      [N.EXPIRED, 'x'], [N.EVICTED, 'e'], [N.STREAM, 't'], [N.MODULE, 'd'], [N.NEW, 'n'],
    ];
    for (const [f, ch] of order) if (flags & f) s += ch;
  }
  if (flags & N.KEYSPACE) s += 'K';
  if (flags & N.KEYEVENT) s += 'E';
  if (flags & N.KEY_MISS) s += 'm';
  return s;
}

/** a connection that can be subscribed */
export interface Subscriber {
  /** 2 or 3: how its messages are framed */
  readonly resp: number;
  /** out-of-band bytes, in order after what the connection has pending */
  push(b: Buffer): void;
  readonly channels: Set<string>;
  readonly patterns: Set<string>;
  readonly shardChannels: Set<string>;
}

function bulk(parts: Buffer[], b: Buffer | string): void {
  const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
  parts.push(Buffer.from(`$${buf.length}\r\n`, 'latin1'), buf, CRLF);
}
const CRLF = Buffer.from('\r\n');

/** one pub/sub message (addReplyPubsubMessage / addReplyPubsubPatMessage) */
export function pubsubFrame(resp: number, items: (Buffer | string)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`${resp === 3 ? '>' : '*'}${items.length}\r\n`, 'latin1')];
  for (const it of items) bulk(parts, it);
  return Buffer.concat(parts);
}

export class PubSub {
  readonly channels = new Map<string, Set<Subscriber>>();
  readonly patterns = new Map<string, Set<Subscriber>>();
  readonly shardChannels = new Map<string, Set<Subscriber>>();
  /** notify-keyspace-events as flags */
  notifyFlags = 0;

  subscribe(s: Subscriber, ch: string, shard = false): boolean {
    const mine = shard ? s.shardChannels : s.channels;
    if (mine.has(ch)) return false;
    mine.add(ch);
    const reg = shard ? this.shardChannels : this.channels;
    let set = reg.get(ch);
    if (!set) reg.set(ch, (set = new Set()));
    set.add(s);
    return true;
  }

  unsubscribe(s: Subscriber, ch: string, shard = false): boolean {
    const mine = shard ? s.shardChannels : s.channels;
    if (!mine.delete(ch)) return false;
    const reg = shard ? this.shardChannels : this.channels;
    const set = reg.get(ch);
    if (set) {
      set.delete(s);
      if (set.size === 0) reg.delete(ch);
    }
    return true;
  }

  psubscribe(s: Subscriber, pat: string): boolean {
    if (s.patterns.has(pat)) return false;
    s.patterns.add(pat);
    let set = this.patterns.get(pat);
    if (!set) this.patterns.set(pat, (set = new Set()));
    set.add(s);
    return true;
  }

  punsubscribe(s: Subscriber, pat: string): boolean {
    if (!s.patterns.delete(pat)) return false;
    const set = this.patterns.get(pat);
    if (set) {
      set.delete(s);
      if (set.size === 0) this.patterns.delete(pat);
    }
    return true;
  }

  /** a connection went away: every subscription of it */
  dropAll(s: Subscriber): void {
    for (const ch of [...s.channels]) this.unsubscribe(s, ch);
    for (const ch of [...s.shardChannels]) this.unsubscribe(s, ch, true);
    for (const p of [...s.patterns]) this.punsubscribe(s, p);
  }

  /** pubsubPublishMessage: receivers counted (a subscriber matching twice counts twice) */
  publish(channel: Buffer, message: Buffer, shard = false): number {
    const ch = channel.latin1Slice(0, channel.length);
    let n = 0;
    const direct = (shard ? this.shardChannels : this.channels).get(ch);
    if (direct) {
      const kind = shard ? 'smessage' : 'message';
      for (const s of [...direct]) {
        s.push(pubsubFrame(s.resp, [kind, channel, message]));
        n++;
      }
    }
    if (!shard && this.patterns.size > 0) {
      for (const [pat, set] of [...this.patterns]) {
        if (!globMatch(Buffer.from(pat, 'latin1'), channel)) continue;
        for (const s of [...set]) {
          s.push(pubsubFrame(s.resp, ['pmessage', pat, channel, message]));
          n++;
        }
      }
    }
    return n;
  }

  /** notifyKeyspaceEvent (notify.c) */
  notify(type: number, event: string, key: Uint8Array, dbid: number): void {
    const flags = this.notifyFlags;
    if ((flags & type) === 0) return;
    const keyBuf = Buffer.from(key.buffer, key.byteOffset, key.length);
    const ev = Buffer.from(event, 'latin1');
    if (flags & N.KEYSPACE) this.publish(Buffer.concat([Buffer.from(`__keyspace@${dbid}__:`, 'latin1'), keyBuf]), ev);
    if (flags & N.KEYEVENT) this.publish(Buffer.from(`__keyevent@${dbid}__:${event}`, 'latin1'), Buffer.from(keyBuf));
  }
}
