/**
 * The replication link to a primary, as a Redis replica runs it (replication.c syncWithMaster,
 * readSyncBulkPayload, replicationCron): connect, PING, AUTH, REPLCONF listening-port and
 * capa eof/psync2, PSYNC; then either a full resync (the RDB as `$<len>` or in the diskless
 * `$EOF:<40-byte mark>` form, parsed as it arrives) or a partial one (+CONTINUE); then the
 * command stream, with REPLCONF ACK of the processed offset every second and on GETACK.
 *
 * A broken link (closed, reset, timed out, a corrupt RDB, a protocol error) is reconnected
 * after a delay, asking for a partial resync from the last offset applied when there is one.
 * The link knows nothing of the engine: it hands records, payload bytes and commands over.
 */
import net from 'node:net';
import { RdbParser } from '../rdb/parser.js';
import type { RdbRecord } from '../rdb/records.js';
import { RequestDecoder, DEFAULT_LIMITS } from '../protocol/decoder.js';

export type LinkState = 'connecting' | 'handshake' | 'waiting-rdb' | 'rdb' | 'connected' | 'down' | 'closed';

export interface ReplicaLinkOptions {
  host: string;
  port: number;
  masterauth?: string;
  masteruser?: string;
  /** our port, for REPLCONF listening-port (the primary shows it in INFO) */
  listeningPort?: number;
  /** repl-timeout: the link is dropped when the primary is silent this long (ms, default 60 s) */
  timeoutMs?: number;
  /** wait before reconnecting (ms, default 1 s) */
  reconnectMs?: number;
  /** full sync only: close once the RDB is read (no command stream, no reconnect) */
  snapshot?: boolean;
  log?: (line: string) => void;
}

/** What the link hands over. Each callback runs synchronously in arrival order. */
export interface LinkEvents {
  /** +FULLRESYNC: the primary's RDB follows; `size` is null for the diskless EOF form */
  fullSync(replid: string, offset: number, size: number | null): void;
  /** every record of the RDB, in order */
  rdbRecord(rec: RdbRecord): void;
  /** the RDB's bytes, exactly (no framing), in order: views into the socket's data, copy what you keep */
  rdbBytes(chunk: Buffer): void;
  /** the RDB was read whole, checksum verified */
  rdbDone(): void;
  /** +CONTINUE: partial resync accepted; the stream goes on from our offset */
  partialSync(replid: string, offset: number): void;
  /**
   * A command of the stream. Returns whether the offset after it counts as applied (false
   * inside MULTI: a reconnect then resumes from before the MULTI, as Redis does).
   */
  command(argv: Buffer[]): boolean;
  /** the link broke (error is the cause, null for a clean close by the primary) */
  down(error: Error | null): void;
  state?(s: LinkState): void;
}

/** The link failed in a way that reconnecting will not fix (bad credentials are retried anyway, as Redis does). */
export class ReplicationError extends Error {
  override readonly name = 'ReplicationError';
  constructor(
    message: string,
    readonly master: string,
  ) {
    super(`${master}: ${message}`);
  }
}

const CR = 13;
const LF = 10;
/** a handshake reply line longer than this is not a Redis reply */
const MAX_LINE = 64 * 1024;
const EOF_MARK_LEN = 40;

type Step = 'ping' | 'auth' | 'port' | 'capa' | 'psync';

export class ReplicaLink {
  state: LinkState = 'connecting';
  /** the primary's replication id and our offset in its stream (the last applied byte) */
  replid = '?';
  offset = -1;
  /** stream bytes received (master_repl_offset as we read it), including those not yet applied */
  readOffset = -1;
  /** RDB transfer progress */
  rdbSize: number | null = null;
  rdbRead = 0;
  /**
   * server.repl_transfer_size (replication.c): -1 from +FULLRESYNC until the payload's header,
   * then its length, or 0 for a diskless ($EOF:) payload; INFO's master_sync_total_bytes.
   */
  transferSize = -1;
  lastIo = Date.now();
  syncs = { full: 0, partial: 0, reconnects: 0 };
  lastError = '';
  private sock: net.Socket | null = null;
  private pending: Buffer = Buffer.alloc(0);
  private steps: Step[] = [];
  private parser: RdbParser | null = null;
  private rdbLeft = 0;
  private eofMark: Buffer | null = null;
  private markTail: Buffer | null = null;
  private decoder: RequestDecoder | null = null;
  private pushed = 0;
  private streamBase = 0;
  private ackTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private closing = false;
  readonly name: string;

  constructor(
    readonly options: ReplicaLinkOptions,
    private readonly events: LinkEvents,
  ) {
    this.name = `${options.host}:${options.port}`;
  }

  /** Connect (and keep reconnecting until close()). */
  start(): void {
    this.closing = false;
    this.connect();
  }

  close(): void {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopAcks();
    this.sock?.destroy();
    this.sock = null;
    this.setState('closed');
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private setState(s: LinkState): void {
    if (this.state === s) return;
    this.state = s;
    this.events.state?.(s);
  }

  private connect(): void {
    this.setState('connecting');
    this.pending = Buffer.alloc(0);
    const sock = net.createConnection({ host: this.options.host, port: this.options.port });
    this.sock = sock;
    sock.setNoDelay(true);
    sock.setTimeout(this.options.timeoutMs ?? 60_000);
    sock.on('connect', () => {
      this.lastIo = Date.now();
      this.log(`connected to primary ${this.name}: handshake`);
      this.setState('handshake');
      this.steps = ['ping'];
      if (this.options.masterauth !== undefined) this.steps.push('auth');
      this.steps.push('port', 'capa', 'psync');
      this.sendStep();
    });
    sock.on('data', (chunk: Buffer) => {
      if (this.sock !== sock) return;
      this.lastIo = Date.now();
      try {
        this.onData(chunk);
      } catch (e) {
        this.fail(e instanceof Error ? e : new Error(String(e)));
      }
    });
    sock.on('timeout', () => {
      if (this.sock === sock) this.fail(new ReplicationError(`timeout: nothing from the primary in ${(this.options.timeoutMs ?? 60_000) / 1000} s`, this.name));
    });
    sock.on('error', (e) => {
      if (this.sock === sock) this.fail(e);
    });
    sock.on('close', () => {
      if (this.sock === sock) this.fail(null);
    });
  }

  /** Drop the connection and, unless closing, reconnect after the delay. */
  private fail(error: Error | null): void {
    const sock = this.sock;
    this.sock = null;
    sock?.destroy();
    this.stopAcks();
    this.parser?.abandon();
    this.parser = null;
    this.decoder = null;
    this.eofMark = null;
    this.markTail = null;
    if (this.closing) return;
    this.lastError = error ? error.message : 'connection closed by the primary';
    this.log(`link to primary ${this.name} down: ${this.lastError}`);
    this.setState('down');
    this.events.down(error);
    if (this.options.snapshot) {
      this.closing = true;
      return;
    }
    this.syncs.reconnects++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closing) this.connect();
    }, this.options.reconnectMs ?? 1000);
    this.retryTimer.unref?.();
  }

  private send(args: (string | number)[]): void {
    const parts = [`*${args.length}\r\n`];
    for (const a of args) {
      const s = String(a);
      parts.push(`$${Buffer.byteLength(s)}\r\n${s}\r\n`);
    }
    this.sock?.write(parts.join(''));
  }

  private sendStep(): void {
    const step = this.steps[0];
    const o = this.options;
    switch (step) {
      case 'ping':
        return this.send(['PING']);
      case 'auth':
        return this.send(o.masteruser !== undefined ? ['AUTH', o.masteruser, o.masterauth!] : ['AUTH', o.masterauth!]);
      case 'port':
        return this.send(['REPLCONF', 'listening-port', o.listeningPort ?? 0]);
      case 'capa':
        return this.send(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']);
      case 'psync':
        // a snapshot always asks for a full sync; otherwise resume after the last byte applied
        if (o.snapshot || this.offset < 0) return this.send(['PSYNC', '?', -1]);
        return this.send(['PSYNC', this.replid, this.offset + 1]);
      default:
        return;
    }
  }

  // ---------------------------------------------------------------- input

  private onData(chunk: Buffer): void {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (data.length > 0 && this.sock) {
      switch (this.state) {
        case 'handshake': {
          const line = this.takeLine(data);
          if (line === null) return;
          data = data.subarray(line.next);
          this.onReply(line.text);
          break;
        }
        case 'waiting-rdb': {
          // newlines keep the link alive while the primary prepares the RDB
          let i = 0;
          while (i < data.length && data[i] === LF) i++;
          data = data.subarray(i);
          if (data.length === 0) return;
          const line = this.takeLine(data);
          if (line === null) return;
          data = data.subarray(line.next);
          this.beginRdb(line.text);
          break;
        }
        case 'rdb':
          data = this.feedRdb(data);
          break;
        case 'connected':
          this.feedStream(data);
          return;
        default:
          return;
      }
    }
  }

  /** A CRLF-terminated line at the start of `data` (null: wait for more, kept in `pending`). */
  private takeLine(data: Buffer): { text: string; next: number } | null {
    const lf = data.indexOf(LF);
    if (lf < 0) {
      if (data.length > MAX_LINE) throw new ReplicationError(`reply line over ${MAX_LINE} bytes: not a Redis primary`, this.name);
      this.pending = Buffer.from(data);
      return null;
    }
    const end = lf > 0 && data[lf - 1] === CR ? lf - 1 : lf;
    return { text: data.toString('latin1', 0, end), next: lf + 1 };
  }

  private onReply(text: string): void {
    // before answering PSYNC (a diskless sync's delay) the primary keeps the link alive with newlines
    if (text === '' && this.steps[0] === 'psync') return;
    const step = this.steps.shift();
    const err = text.startsWith('-') ? text.slice(1) : null;
    switch (step) {
      case 'ping':
        // NOAUTH (and NOPERM) are fine here: AUTH comes next
        if (err && !/^(NOAUTH|NOPERM|ERR operation not permitted)/.test(err)) throw new ReplicationError(`PING: ${err}`, this.name);
        break;
      case 'auth':
        if (err) throw new ReplicationError(`AUTH refused: ${err}`, this.name);
        break;
      case 'port':
      case 'capa':
        // older primaries refuse some REPLCONF options; Redis goes on regardless
        if (err) this.log(`primary ${this.name} refused REPLCONF: ${err}`);
        break;
      case 'psync':
        return this.onPsyncReply(text);
      default:
        throw new ReplicationError(`unexpected reply during the handshake: ${text.slice(0, 200)}`, this.name);
    }
    this.sendStep();
  }

  private onPsyncReply(text: string): void {
    const full = /^\+FULLRESYNC ([0-9a-f]{40}) (\d+)$/.exec(text);
    if (full) {
      this.replid = full[1]!;
      this.streamBase = Number(full[2]);
      this.log(`full resync from ${this.name}: replid ${this.replid}, offset ${this.streamBase}`);
      // the transfer starts here (syncWithMaster: repl_transfer_size = -1, repl_transfer_read = 0)
      this.transferSize = -1;
      this.rdbRead = 0;
      this.rdbSize = null;
      this.setState('waiting-rdb');
      return;
    }
    const cont = /^\+CONTINUE(?: ([0-9a-f]{40}))?$/.exec(text);
    if (cont) {
      if (cont[1]) this.replid = cont[1];
      this.streamBase = this.offset;
      this.syncs.partial++;
      this.log(`partial resync from ${this.name} at offset ${this.offset}`);
      this.events.partialSync(this.replid, this.offset);
      this.startStream();
      return;
    }
    // -NOMASTERLINK, -LOADING: the primary can't serve us yet; anything else is an error
    throw new ReplicationError(`PSYNC: ${text.slice(0, 200)}`, this.name);
  }

  private beginRdb(header: string): void {
    if (!header.startsWith('$')) throw new ReplicationError(`bad bulk payload header from the primary: ${header.slice(0, 100)}`, this.name);
    const body = header.slice(1);
    if (body.startsWith('EOF:')) {
      const mark = body.slice(4);
      if (mark.length !== EOF_MARK_LEN) throw new ReplicationError(`bad EOF mark in ${header.slice(0, 100)}`, this.name);
      this.eofMark = Buffer.from(mark, 'latin1');
      this.rdbSize = null;
      this.transferSize = 0;
    } else {
      if (!/^\d{1,15}$/.test(body)) throw new ReplicationError(`bad bulk payload length: ${header.slice(0, 100)}`, this.name);
      this.rdbSize = Number(body);
      this.transferSize = this.rdbSize;
      this.rdbLeft = this.rdbSize;
      this.eofMark = null;
    }
    this.rdbRead = 0;
    this.readOffset = this.streamBase;
    this.markTail = null;
    this.parser = new RdbParser({
      file: `replication from ${this.name}`,
      totalSize: this.rdbSize ?? undefined,
      onRecord: (r) => this.events.rdbRecord(r),
    });
    this.setState('rdb');
    this.syncs.full++;
    this.events.fullSync(this.replid, this.streamBase, this.rdbSize);
  }

  /** Feed RDB bytes; returns what follows the RDB (the start of the stream), else empty. */
  private feedRdb(data: Buffer): Buffer {
    const parser = this.parser!;
    if (this.markTail !== null) return this.checkMark(data);
    if (this.eofMark === null) {
      const take = Math.min(this.rdbLeft, data.length);
      const part = data.subarray(0, take);
      this.rdbLeft -= take;
      this.rdbRead += take;
      this.events.rdbBytes(part);
      parser.write(part);
      if (this.rdbLeft > 0) return Buffer.alloc(0);
      parser.end(); // throws when the RDB is short of its stated length
      if (parser.remainder().length > 0) throw new ReplicationError(`${parser.remainder().length} bytes after the RDB's end within its stated length`, this.name);
      this.rdbFinished();
      return data.subarray(take);
    }
    const before = this.rdbRead;
    parser.write(data);
    if (!parser.done) {
      this.rdbRead += data.length;
      this.events.rdbBytes(data);
      return Buffer.alloc(0);
    }
    // the parser holds what followed the RDB: the mark, then perhaps the stream
    const rest = parser.remainder();
    const rdbPart = data.length - rest.length;
    this.rdbRead = before + rdbPart;
    this.events.rdbBytes(data.subarray(0, rdbPart));
    this.markTail = Buffer.alloc(0);
    return this.checkMark(rest);
  }

  /** After a diskless RDB: the 40-byte mark must follow. */
  private checkMark(data: Buffer): Buffer {
    const have = Buffer.concat([this.markTail!, data]);
    if (have.length < EOF_MARK_LEN) {
      this.markTail = have;
      return Buffer.alloc(0);
    }
    if (!have.subarray(0, EOF_MARK_LEN).equals(this.eofMark!)) {
      throw new ReplicationError('the diskless RDB is not followed by its EOF mark', this.name);
    }
    this.markTail = null;
    this.rdbFinished();
    return have.subarray(EOF_MARK_LEN);
  }

  private rdbFinished(): void {
    this.parser = null;
    this.offset = this.streamBase;
    this.log(`RDB from ${this.name} read: ${this.rdbRead} bytes`);
    this.events.rdbDone();
    if (this.options.snapshot) {
      this.close();
      return;
    }
    this.startStream();
  }

  private startStream(): void {
    this.decoder = new RequestDecoder({ ...DEFAULT_LIMITS });
    this.pushed = 0;
    this.readOffset = this.streamBase;
    this.setState('connected');
    // a diskless primary waits for the first ACK before it streams
    this.sendAck();
    this.ackTimer = setInterval(() => this.sendAck(), 1000);
    this.ackTimer.unref?.();
  }

  private feedStream(data: Buffer): void {
    const dec = this.decoder!;
    dec.push(data);
    this.pushed += data.length;
    this.readOffset = this.streamBase + this.pushed;
    for (;;) {
      const argv = dec.next();
      if (argv === null) break;
      const at = this.streamBase + this.pushed - dec.buffered;
      if (argv.length === 0) {
        this.offset = at;
        continue;
      }
      if (isGetAck(argv)) {
        // acknowledges what was applied before the GETACK (replconfCommand)
        this.sendAck();
        this.offset = at;
        continue;
      }
      if (this.events.command(argv)) this.offset = at;
      if (!this.sock || this.decoder !== dec) return;
    }
  }

  sendAck(): void {
    if (this.state !== 'connected' || !this.sock) return;
    this.send(['REPLCONF', 'ACK', this.offset]);
  }

  private stopAcks(): void {
    if (this.ackTimer) clearInterval(this.ackTimer);
    this.ackTimer = null;
  }
}

function isGetAck(argv: Buffer[]): boolean {
  return argv.length >= 2 && argv[0]!.length === 8 && argv[0]!.toString('latin1').toLowerCase() === 'replconf' && argv[1]!.toString('latin1').toLowerCase() === 'getack';
}
