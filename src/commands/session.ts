/**
 * The server-side state of one connection that commands keep (Redis keeps it on `client`):
 * the MULTI queue and its error flag, WATCH, subscriptions, the blocked state, CLIENT REPLY
 * mode, MONITOR, CLIENT NO-EVICT. A connection (src/resp's Client) owns one and lends it
 * through `Connection.session`; commands reach it with `sessionOf(c)`.
 */
import { Watcher } from '../instance/watch.js';
import type { Subscriber } from '../instance/pubsub.js';
import type { BlockedWaiter } from '../instance/blocking.js';

export interface BlockedState {
  waiter: BlockedWaiter;
  /** the command that blocked (CLIENT INFO cmd, stats at unblock) */
  command: string;
  /** CLIENT UNBLOCK: answer as a timeout (false) or with the UNBLOCKED error (true) */
  unblock(withError: boolean): void;
  /** the connection went away */
  cancel(): void;
}

export class Session implements Subscriber {
  /** queued commands (copies of their argv) while in MULTI, null outside */
  multi: Buffer[][] | null = null;
  /** CLIENT_DIRTY_EXEC: a command was refused while queueing */
  multiError = false;
  readonly watcher = new Watcher();
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();
  /** set while blocked on keys */
  blocked: BlockedState | null = null;
  /** CLIENT REPLY OFF */
  replyOff = false;
  /** CLIENT REPLY SKIP: the next command's reply is dropped */
  skipNext = false;
  /** the reply of the command running now is dropped */
  skip = false;
  monitor = false;
  /** SYNC / PSYNC: this connection gets the replication stream (CLIENT_SLAVE) */
  replica = false;
  noEvict = false;
  /** CLIENT TRACKING ON state (no invalidation messages are sent: see docs/server.md) */
  /** CLIENT TRACKING state; `caching`: CLIENT CACHING YES/NO given for the next command; `brokenRedir`: the redirect target went away */
  tracking: { redirect: number; bcast: boolean; optin: boolean; optout: boolean; noloop: boolean; prefixes: string[]; caching: boolean; brokenRedir: boolean } | null = null;

  constructor(private readonly out: { push(b: Buffer): void; readonly resp: number }) {}

  get resp(): number {
    return this.out.resp;
  }

  push(b: Buffer): void {
    this.out.push(b);
  }

  /** subscriptions of every kind (clientSubscriptionsCount + shard) */
  get subscriptions(): number {
    return this.channels.size + this.patterns.size + this.shardChannels.size;
  }
}
