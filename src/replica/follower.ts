/**
 * Follow a primary: a ReplicaLink's full syncs are loaded into the instance's engine (the RDB
 * kept in memory, values read back from it by offset, nothing written to disk), and its
 * command stream is applied through the command layer (src/commands) in a context of caller
 * kind 'primary' whose replies are dropped, as a Redis replica's master client does. Every
 * write thus updates the key's memory and the totals incrementally.
 *
 * A command the engine does not implement is counted by name and its key is marked stale (its
 * figures may be off until the primary deletes or overwrites it, or a full resync).
 */
import { ReplicaLink, type LinkState, type ReplicaLinkOptions } from './link.js';
import { MemoryDump } from '../engine/dump-store.js';
import { storeKeyRow } from '../engine/load.js';
import type { Keyspace } from '../engine/keyspace.js';
import { startAnalysis, type PendingAnalysis } from '../memory/analyze.js';
import type { ProfileId, ServerConfig } from '../memory/profiles.js';
import type { FollowerHooks, Instance } from '../instance/instance.js';
import { Context } from '../commands/context.js';
import { execute } from '../commands/dispatch.js';
import { COMMAND_INFO } from '../commands/command-info.js';
import { commandNamed } from '../commands/registry.js';
import { ReplyWriter } from '../protocol/encoder.js';

export interface FollowerOptions extends Omit<ReplicaLinkOptions, 'snapshot'> {
  /** model this server instead of the primary's own version */
  target?: ProfileId;
  config?: Partial<ServerConfig>;
  /** the primary's repl-backlog-size (default 1 MB), part of its used_memory */
  backlogSize?: number;
}

/** replication buffer blocks (PROTO_REPLY_CHUNK_BYTES) and their replBufBlock header (networking.c, 7.0) */
const REPL_BLOCK = 16 * 1024;
const REPL_BLOCK_HEADER = 16;
/**
 * clients.slaves for our own link on the primary (getClientMemoryUsage): the client's 16 KiB
 * static reply buffer and its query buffer, which holds our REPLCONF ACKs (7.0.15 reports 17632).
 */
const REPLICA_CLIENT = 16 * 1024 + 1248;

/** Commands of the stream that change no data. */
const NO_DATA = new Set(['ping', 'publish', 'spublish', 'select', 'replconf']);

/**
 * Read-only commands a 7.0 primary still propagates because they bump dirty: PFCOUNT writes the
 * cached cardinality into the value.
 */
const PROPAGATED_READS = new Set(['pfcount']);

/** Commands after which their keys hold exactly what the primary has (a stale mark is lifted). */
const OVERWRITES = new Set(['set', 'setex', 'psetex', 'getset', 'del', 'unlink', 'getdel', 'mset']);

export interface FollowerProgress {
  state: LinkState;
  /** RDB bytes read and expected (null: diskless, size unknown) during a full sync */
  rdbRead: number;
  rdbSize: number | null;
  keysLoaded: number;
}

export class Follower implements FollowerHooks {
  readonly link: ReplicaLink;
  /** the primary's commands run here; their replies go to `sink` and are dropped */
  private readonly master: Context;
  private readonly sink = new ReplyWriter();
  private multi: Buffer[][] | null = null;
  private loading: { dump: MemoryDump; dbs: Map<number, Keyspace>; analysis: PendingAnalysis; keys: number } | null = null;
  /** the offset of the full sync the dataset came from (the backlog's start, when we created it) */
  private syncOffset = 0;
  linkDownSince = 0;
  /** commands applied from the stream, and those refused by our engine or not implemented */
  applied = 0;
  readonly unsupported = new Map<string, number>();
  engineErrors = 0;
  /** keys whose figures may be off, per db (latin1 key names) */
  readonly stale = new Map<number, Set<string>>();
  lastApplied = 0;
  private readonly listeners = new Set<() => void>();
  /** resolves at the end of the first full sync */
  readonly firstSync: Promise<void>;
  private resolveFirst!: () => void;

  constructor(
    readonly instance: Instance,
    readonly options: FollowerOptions,
  ) {
    this.master = new Context(instance, 'primary', this.sink);
    this.firstSync = new Promise((r) => (this.resolveFirst = r));
    this.link = new ReplicaLink(options, {
      fullSync: (_replid, offset) => this.beginLoad(offset),
      rdbRecord: (rec) => {
        const l = this.loading;
        if (!l) return;
        l.analysis.onRecord(rec);
      },
      // copied into the dump's pieces
      rdbBytes: (chunk) => this.loading?.dump.append(chunk),
      rdbDone: () => this.endLoad(),
      partialSync: () => this.changed(),
      command: (argv) => this.command(argv),
      down: () => {
        // a transaction cut short is sent again from its MULTI; a partial RDB is dropped
        this.multi = null;
        this.loading = null;
        // since the link was last up: failed reconnects do not restart the clock
        if (this.linkDownSince === 0) this.linkDownSince = Date.now();
        this.changed();
      },
      state: (st) => {
        if (st === 'connected') this.linkDownSince = 0;
        this.changed();
      },
    });
    instance.follower = this;
  }

  start(): void {
    this.link.start();
  }

  close(): void {
    this.link.close();
    if (this.instance.follower === this) this.instance.follower = null;
  }

  /** Called (at most a few times a second is the caller's business) whenever figures change. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  progress(): FollowerProgress {
    return { state: this.link.state, rdbRead: this.link.rdbRead, rdbSize: this.link.rdbSize, keysLoaded: this.loading?.keys ?? 0 };
  }

  // ---------------------------------------------------------------- full sync

  private beginLoad(offset: number): void {
    const dump = new MemoryDump(`replication from ${this.link.name}`);
    const dbs = new Map<number, Keyspace>();
    const l = {
      dump,
      dbs,
      keys: 0,
      analysis: startAnalysis(dump.name, {
        target: this.options.target,
        config: this.options.config,
        fileIndex: 0,
        onKey: (row) => {
          storeKeyRow(dbs, row);
          l.keys++;
        },
      }),
    };
    this.loading = l;
    this.syncOffset = offset;
    this.changed();
  }

  private endLoad(): void {
    const l = this.loading;
    if (!l) return;
    this.loading = null;
    const analysis = l.analysis.finish(null);
    this.instance.replaceDataset({ dbs: l.dbs, files: [l.dump.name], sources: [l.dump], analyses: [analysis] });
    this.master.dbIndex = 0;
    this.multi = null;
    this.stale.clear();
    this.instance.log(`loaded ${l.keys} keys (${l.dump.size} bytes of RDB) from ${this.link.name}, modelling ${this.instance.profile.id}`);
    this.resolveFirst();
    this.changed();
  }

  // ---------------------------------------------------------------- the stream

  private command(argv: Buffer[]): boolean {
    const name = argv[0]!.toString('latin1').toLowerCase();
    if (this.multi !== null) {
      if (name === 'exec') {
        const queued = this.multi;
        this.multi = null;
        for (const a of queued) this.apply(a, a[0]!.toString('latin1').toLowerCase());
        this.changed();
        return true;
      }
      if (name === 'discard') {
        this.multi = null;
        return true;
      }
      // arguments are views into the link's buffer: keep copies
      this.multi.push(argv.map((a) => Buffer.from(a)));
      return false;
    }
    if (name === 'multi') {
      this.multi = [];
      return false;
    }
    this.apply(argv, name);
    this.changed();
    return true;
  }

  private apply(argv: Buffer[], name: string): void {
    const inst = this.instance;
    this.lastApplied = Date.now();
    if (NO_DATA.has(name) && name !== 'select') return;
    let spec = commandNamed(name);
    // a container's write is its subcommand's (FUNCTION LOAD, SCRIPT FLUSH, XGROUP CREATE ...)
    if (spec?.subcommands && argv.length >= 2) {
      const sub = `${spec.name}|${argv[1]!.latin1Slice(0, argv[1]!.length).toLowerCase()}`;
      spec = spec.subcommands.find((s) => s.name === sub) ?? spec;
    }
    if (spec === undefined || !(spec.write || name === 'select' || PROPAGATED_READS.has(name))) {
      this.unsupportedCommand(name, argv);
      return;
    }
    const sh = inst.shared;
    sh.applyingMaster = true;
    let ok: boolean;
    try {
      ok = execute(this.master, argv);
    } finally {
      sh.applyingMaster = false;
      this.sink.rewind(0);
    }
    this.applied++;
    if (!ok) {
      // the primary ran it, we could not: our copy of the key is off
      this.engineErrors++;
      inst.log(`command from the primary refused by the engine: ${name} (key marked stale)`);
      this.markStale(argv, spec.firstKey, spec.lastKey, spec.step);
      return;
    }
    if (name === 'swapdb') {
      const a = Number(argv[1]);
      const b = Number(argv[2]);
      const sa = this.stale.get(a);
      const sb = this.stale.get(b);
      this.stale.delete(a);
      this.stale.delete(b);
      if (sa) this.stale.set(b, sa);
      if (sb) this.stale.set(a, sb);
    }
    if (name === 'flushall') this.stale.clear();
    else if (name === 'flushdb') this.stale.delete(this.master.dbIndex);
    else if (OVERWRITES.has(name) && this.stale.size > 0) {
      const set = this.stale.get(this.master.dbIndex);
      if (set) {
        const step = name === 'mset' ? 2 : 1;
        const last = name === 'del' || name === 'unlink' || name === 'mset' ? argv.length - 1 : 1;
        for (let i = 1; i <= last; i += step) set.delete(argv[i]!.toString('latin1'));
      }
    }
  }

  private unsupportedCommand(name: string, argv: Buffer[]): void {
    this.unsupported.set(name, (this.unsupported.get(name) ?? 0) + 1);
    // the key positions of 7.0.15's COMMAND INFO (a container's: its subcommand's), else argv[1]
    const info = COMMAND_INFO.find((i) => i.name === name);
    const sub = info && argv.length >= 2 ? info.subcommands.find((s) => s.name === `${name}|${argv[1]!.latin1Slice(0, argv[1]!.length).toLowerCase()}`) : undefined;
    const k = sub ?? info;
    if (k && k.firstKey > 0) this.markStale(argv, k.firstKey, k.lastKey, k.step);
    else if (!k && argv.length >= 2) this.markStale(argv, 1, 1, 1);
  }

  private markStale(argv: Buffer[], first: number, last: number, step: number): void {
    if (first <= 0) return;
    const end = last < 0 ? argv.length + last : last;
    let set = this.stale.get(this.master.dbIndex);
    if (!set) this.stale.set(this.master.dbIndex, (set = new Set()));
    for (let i = first; i <= end && i < argv.length; i += Math.max(1, step)) set.add(argv[i]!.toString('latin1'));
  }

  staleKeys(): number {
    let n = 0;
    for (const s of this.stale.values()) n += s.size;
    return n;
  }

  unsupportedTotal(): number {
    let n = 0;
    for (const v of this.unsupported.values()) n += v;
    return n;
  }

  // ---------------------------------------------------------------- FollowerHooks

  replicationMemory(): { backlog: number; slaves: number } {
    // the primary's backlog (7.0: a list of 16 KiB replication buffer blocks) fills from the
    // first replica's sync up to repl-backlog-size; it stays allocated while a replica is attached
    const size = this.options.backlogSize ?? 1024 * 1024;
    const hist = Math.min(size, Math.max(0, this.link.readOffset - this.syncOffset));
    const backlog = hist === 0 ? 0 : Math.ceil(hist / REPL_BLOCK) * (REPL_BLOCK + REPL_BLOCK_HEADER);
    return { backlog: Math.min(backlog, size + REPL_BLOCK_HEADER), slaves: REPLICA_CLIENT };
  }

  infoLines(): [string, string | number][] {
    const l = this.link;
    const now = Date.now();
    const up = l.state === 'connected';
    const syncing = l.state === 'rdb' || l.state === 'waiting-rdb';
    const lines: [string, string | number][] = [
      ['role', 'slave'],
      ['master_host', this.options.host],
      ['master_port', this.options.port],
      ['master_link_status', up ? 'up' : 'down'],
      ['master_last_io_seconds_ago', up || syncing ? Math.floor((now - l.lastIo) / 1000) : -1],
      ['master_sync_in_progress', syncing ? 1 : 0],
      ['slave_read_repl_offset', Math.max(0, l.readOffset)],
      ['slave_repl_offset', Math.max(0, l.offset)],
    ];
    if (syncing) {
      // genRedisInfoString (server.c 7.0): repl_transfer_size, _read, their difference, and
      // "%.2f" of read / size * 100 when size is not 0 (-1 before the payload's header: "-0.00")
      const total = l.transferSize;
      const perc = total !== 0 ? (l.rdbRead / total) * 100 : 0;
      lines.push(
        ['master_sync_total_bytes', total],
        ['master_sync_read_bytes', l.rdbRead],
        ['master_sync_left_bytes', total - l.rdbRead],
        ['master_sync_perc', Object.is(perc, -0) || (perc < 0 && perc > -0.005) ? '-0.00' : perc.toFixed(2)],
        ['master_sync_last_io_seconds_ago', Math.floor((now - l.lastIo) / 1000)],
      );
    }
    if (!up) lines.push(['master_link_down_since_seconds', this.linkDownSince > 0 ? Math.floor((now - this.linkDownSince) / 1000) : -1]);
    const unsupported = [...this.unsupported].map(([k, v]) => `${k}=${v}`).join(',');
    lines.push(
      ['slave_priority', 100],
      ['slave_read_only', 1],
      ['replica_announced', 1],
      ['connected_slaves', 0],
      ['master_failover_state', 'no-failover'],
      ['master_replid', l.replid === '?' ? '0000000000000000000000000000000000000000' : l.replid],
      ['master_replid2', '0000000000000000000000000000000000000000'],
      ['master_repl_offset', Math.max(0, l.offset)],
      ['second_repl_offset', -1],
      ['repl_backlog_active', 0],
      ['repl_backlog_size', 1048576],
      ['repl_backlog_first_byte_offset', 0],
      ['repl_backlog_histlen', 0],
      ['rdblens_lag_bytes', Math.max(0, l.readOffset - l.offset)],
      ['rdblens_full_syncs', l.syncs.full],
      ['rdblens_partial_syncs', l.syncs.partial],
      ['rdblens_reconnects', l.syncs.reconnects],
      ['rdblens_commands_applied', this.applied],
      ['rdblens_unsupported_commands', this.unsupportedTotal()],
      ['rdblens_unsupported', unsupported],
      ['rdblens_engine_errors', this.engineErrors],
      ['rdblens_stale_keys', this.staleKeys()],
      ['rdblens_dump_bytes_held', this.instance.shared.dumps?.heldBytes ?? 0],
      ['rdblens_last_error', l.lastError],
    );
    return lines;
  }
}
