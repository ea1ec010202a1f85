/**
 * What a command runs with: the instance (the data side of one server), the selected db, the
 * protocol version, who calls (a client, the primary's replication link, a transaction, a
 * script) and the sink its reply goes to. No socket: a caller with a connection lends it
 * through `conn` (the RESP server's clients implement Connection), and only the connection
 * commands (AUTH, HELLO, CLIENT SETNAME, QUIT, RESET...) use it, through connOf.
 *
 * One Context lives as long as its caller (a client, a link) and is reused for every command,
 * so SELECT and HELLO change it in place.
 */
import type { Database } from '../engine/database.js';
import type { Instance } from '../instance/instance.js';
import type { ReplySink } from '../protocol/encoder.js';
import { ReplyError } from './errors.js';
import type { Session } from './session.js';

/**
 * Who runs the command (Redis tells the same cases apart by client flags: CLIENT_MASTER,
 * CLIENT_MULTI, CLIENT_SCRIPT). 'primary' commands are obeyed even on a read-only replica.
 */
export type CallerKind = 'client' | 'primary' | 'transaction' | 'script';

/** The connection behind a context (a RESP client), for the commands that act on it. */
export interface Connection {
  readonly id: number;
  /** CLIENT SETNAME / HELLO SETNAME */
  name: string;
  readonly authenticated: boolean;
  setAuthenticated(v: boolean): void;
  /** CLIENT INFO's line (catClientInfoString) */
  info(): string;
  /** CLIENT LIST: the lines of every connection of the same server (of these ids only, when given) */
  list(ids: ReadonlySet<number> | null): string;
  /** QUIT: close once the reply is written */
  quit(): void;
  /** the connection's server-side state: MULTI, WATCH, subscriptions, blocking, reply mode (session.ts) */
  readonly session: Session;
  /**
   * The command's reply comes later (a blocked command; a script past busy-reply-threshold):
   * the connection sends what it has, holds its next commands, and sends `reply` when it
   * settles, then goes on.
   */
  suspend(reply: Promise<Buffer>): void;
  /** out-of-band bytes (pub/sub messages, MONITOR lines), in order after what is pending for it */
  push(b: Buffer): void;
  /** CLIENT KILL: close (after the reply now being written, when it is this connection's) */
  kill(): void;
  /** ip:port of the peer and of our end (CLIENT LIST addr / laddr, CLIENT KILL ADDR / LADDR) */
  readonly addr: string;
  readonly laddr: string;
  /** the context its commands run with */
  readonly ctx: Context;
  /** every connection of the same server, this one included */
  peers(): Iterable<Connection>;
}

export class Context {
  /** index of the selected db (SELECT) */
  dbIndex = 0;
  /** 2 or 3 (HELLO) */
  resp = 2;
  /** the last command run (CLIENT INFO cmd=) */
  lastCommand = 'NULL';

  constructor(
    readonly instance: Instance,
    /** who runs the commands; a transaction or script caller may set it for the time it runs them */
    public caller: CallerKind,
    /** where replies go; the caller may point it elsewhere between commands */
    public reply: ReplySink,
    /** the connection behind this context, null for the primary link and scripts */
    readonly conn: Connection | null = null,
  ) {}

  /** the selected database (read through the instance, so SWAPDB and a resync are seen at once) */
  get db(): Database {
    return this.instance.dbs[this.dbIndex]!;
  }
}

/** The context's connection, for a command that only means something on one. */
export function connOf(c: Context): Connection {
  if (c.conn === null) throw new ReplyError('ERR This command is not allowed without a client connection');
  return c.conn;
}

/** The connection's session (MULTI, WATCH, pub/sub, blocking, reply mode). */
export function sessionOf(c: Context): Session {
  return connOf(c).session;
}
