/**
 * The primary side of replication, as far as a client that asks for the stream needs it: SYNC
 * and PSYNC (syncCommand, replication.c 7.0) hand the connection the RDB snapshot and from then
 * on every change, as Redis propagates it (propagateNow, propagatePendingCommands, server.c;
 * replicationFeedSlaves, replication.c): a SELECT whenever the db changes, then the command.
 *
 * What is propagated: each write command that changed the dataset (server.dirty moved), as the
 * client sent it, PUBLISH (forceCommandPropagation), a DEL for each key evicted
 * (propagateDeletion, one at a time: performEvictions flushes after every key) or expired. The
 * commands of one top-level call (an EXEC's, a script's, a write that first deleted an expired
 * key) are wrapped in MULTI / EXEC when there is more than one (server.also_propagate).
 * Redis rewrites some commands before propagating them (SET EX / SETEX / EXPIRE to absolute
 * PXAT / PEXPIREAT, INCRBYFLOAT to SET KEEPTTL, SPOP to SREM, blocking pops to their plain
 * forms); here they go as sent. There is no backlog (a PSYNC always gets FULLRESYNC), no
 * REPLCONF ACK offsets, no replica PINGs (repl-ping-replica-period) and no
 * client-output-buffer-limit for replicas.
 */

/** A replica connection: where its stream goes. */
export interface ReplicaSink {
  push(b: Buffer): void;
}

const MULTI = [Buffer.from('MULTI')];
const EXEC = [Buffer.from('EXEC')];

/** a RESP multibulk of `argv` */
function encodeCommand(argv: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const a of argv) parts.push(Buffer.from(`$${a.length}\r\n`), a, CRLF);
  return Buffer.concat(parts);
}
const CRLF = Buffer.from('\r\n');

export class ReplicationStream {
  readonly replicas = new Set<ReplicaSink>();
  /** server.slaveseldb: the db the stream last selected (-1: none yet) */
  private selDb = -1;
  /** server.also_propagate: what the running top-level call has to propagate */
  private pending: { db: number; argv: Buffer[] }[] = [];
  /** a top-level command is running (its ops wait for its end) */
  inCall = false;
  /** master_repl_offset: bytes fed to the stream */
  offset = 0;

  get active(): boolean {
    return this.replicas.size > 0;
  }

  /** a replica after its full sync: the next command is preceded by a SELECT (slaveseldb = -1) */
  attach(r: ReplicaSink): void {
    this.replicas.add(r);
    this.selDb = -1;
  }

  detach(r: ReplicaSink): void {
    this.replicas.delete(r);
  }

  /** alsoPropagate: queued until the top-level call ends (or at once, outside a call) */
  alsoPropagate(db: number, argv: readonly Uint8Array[]): void {
    if (this.replicas.size === 0) return;
    this.pending.push({ db, argv: argv.map((a) => Buffer.from(a)) });
    if (!this.inCall) this.flush();
  }

  /** propagatePendingCommands: the queued ops, in MULTI / EXEC when more than one */
  flush(): void {
    const ops = this.pending;
    if (ops.length === 0) return;
    this.pending = [];
    if (this.replicas.size === 0) return;
    const tx = ops.length > 1;
    if (tx) this.feed(ops[0]!.db, MULTI);
    for (const op of ops) this.feed(op.db, op.argv);
    if (tx) this.feed(ops[ops.length - 1]!.db, EXEC);
  }

  /** replicationFeedSlaves: SELECT when the db changes, then the command */
  private feed(db: number, argv: readonly Buffer[]): void {
    let out = encodeCommand(argv);
    if (db !== this.selDb) {
      out = Buffer.concat([encodeCommand([Buffer.from('SELECT'), Buffer.from(String(db))]), out]);
      this.selDb = db;
    }
    this.offset += out.length;
    for (const r of this.replicas) r.push(out);
  }
}
