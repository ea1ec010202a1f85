/**
 * The streaming RDB parser. Feed it Buffers in any split (`write`), then `end()`; it calls
 * `onRecord` synchronously for every record in file order.
 *
 * How it streams: all reads are synchronous over one window (buf[pos, end)). A read that runs
 * past the window throws NEED_MORE; the parser rewinds to the last checkpoint (the start of the
 * current unit: an opcode record, a key header, one element, one quicklist node, ...) and waits
 * for the next chunk. State only changes when a unit completes, so a retry re-reads the same
 * bytes. Strings whose content is not needed (summary mode) are skipped as they stream by,
 * so a multi-GB value is never held whole. Every length is checked against what remains of
 * the input (when the total is known) before anything is allocated for it.
 *
 * The main loop, the opcodes and the string values are here; each encoding's unit reader is in
 * a file of its own beside the blob walkers (listpack.ts, ziplist.ts, intset.ts, zipmap.ts):
 * elements.ts (one string per element: lists, sets, hashes, zsets, hashes with field TTLs),
 * blob.ts (values stored as one encoded string), quicklist.ts, stream.ts, module.ts.
 */
import {
  RDB_TYPE,
  RDB_OPCODE,
  RDB_MODULE_OPCODE,
  RDB_VERSION_MAX_REDIS,
  RDB_VERSION_VALKEY_9,
  VALKEY_RDB_TYPE_HASH_2,
  rdbEncodingName,
  valueTypeOf,
  ValueType,
} from './constants.js';
import { RdbError, RdbErrorCode, printableKey } from './errors.js';
import { RdbReader, NEED_MORE, EMPTY, RDB_STR_INT, RDB_STR_LZF } from './reader.js';
import { ElementStats, classifyIntegerText, INT_CLASS } from './facts.js';
import { BlobFormatError, BlobScan } from './encoded.js';
import { IdCollector, readStreamUnit, StreamFacts, StreamGroup, StreamGroupFacts, RdbStreamValue } from './stream.js';
import { moduleNameFromId, readModuleUnit } from './module.js';
import { readElementsUnit, readHashTtlUnit, readHashUnit, readZsetUnit } from './elements.js';
import { readBlobValue } from './blob.js';
import { readQuicklistUnit } from './quicklist.js';
import { FingerprintSet, KeyDuplicates, fingerprint, serverAction, type IntegrityCheck } from './integrity.js';
import type {
  HashEntry,
  KeyRecord,
  QuicklistNodeFacts,
  RdbRecord,
  ValueFacts,
  ZsetEntry,
} from './records.js';

export interface ParserOptions {
  /** Called for every record, in order. Throwing from it aborts parsing. */
  onRecord: (rec: RdbRecord) => void;
  /** Decode full values (Buffers, scores, stream entries) into `KeyRecord.value`. */
  values?: boolean;
  /** Path shown in errors. */
  file?: string;
  /** Total input bytes, when known: every length is checked against what remains. */
  totalSize?: number;
  /** Verify the CRC64 trailer (default true). */
  verifyChecksum?: boolean;
  /**
   * Start in the middle of a dump (random access): the absolute offset of the first byte fed,
   * the dump's format (from its header) and the db in force. The parser then stops after one key.
   */
  resume?: { offset: number; version: number; valkey: boolean; db: number };
  /**
   * Redis's load-time checks (integrity.ts): damaged blobs and LZF strings, duplicate keys in a
   * db, empty collections (not emitted as keys: Redis skips them). Default true; each finding is
   * an IntegrityRecord, or with `strict` an RdbError. Off in `resume` mode (one key).
   */
  loadChecks?: boolean;
  /** Make every load-time finding an RdbError (code corrupt_value, duplicate_key or empty_key). */
  strict?: boolean;
  /** keys the duplicate check holds in its exact table before it partitions (KeyDuplicates; tests) */
  directKeys?: number;
  /**
   * One of two parts of a dump read by two threads at once, split at the first top-level record
   * boundary at or after byte `at` (no expire or LRU/LFU opcode pending): 'head' reads from the
   * start and stops there, without the duplicate-key check (`done`, `stoppedAt`); 'tail' reads
   * from the start too but skims up to there, emitting only the header, the AUX fields, the EOF
   * and the duplicate-key findings, and in full from there. The tail's duplicate check covers
   * every key, the skimmed ones included; its `keysRead` counts from the boundary.
   */
  split?: { at: number; part: 'head' | 'tail' };
}

const EMPTY_KEY = Buffer.alloc(0);



/** Top-level parser states. */
const S_HEADER = 0;
const S_TOP = 1;
const S_VALUE = 2;
const S_TRAILER = 3;
const S_DONE = 4;


/** Value sub-states. */
const V_STRING = 0;
const V_ELEMENTS = 1; // linked list / hashtable set: one string per unit
const V_HASH = 2; // field, value
const V_ZSET = 3; // member, score
const V_BLOB = 4; // one encoded string (ziplist, listpack, intset, zipmap)
const V_QUICKLIST = 5;
const V_HASH_TTL = 6; // HASH_METADATA: ttl, field, value
const V_HASH2 = 7; // Valkey HASH_2: field, value, ttl
const V_STREAM = 8;
const V_MODULE = 9;
const V_LPEX_MIN = 10; // HASH_LISTPACK_EX: 8-byte min expire, then a blob

/** Stream sub-phases. */




export class RdbParser extends RdbReader {
  private readonly onRecord: (rec: RdbRecord) => void;
  readonly wantValues: boolean;
  private readonly single: boolean;

  private state: number = S_HEADER;
  version = 0;
  valkey = false;
  private db = 0;
  keysRead = 0;

  // pending key header opcodes
  private pendingOffset = -1;
  private pendingExpire = -1;
  private pendingIdle = -1;
  private pendingFreq = -1;

  // the key being read: the fields without `private` are the unit readers' (elements.ts,
  // blob.ts, quicklist.ts, stream.ts, module.ts run on the parser); nothing outside src/rdb uses them
  cur: KeyRecord | null = null;
  private valueStart = 0;
  private vstate = 0;
  phase = 0;
  remaining = 0;
  readonly stats = new ElementStats();
  readonly scan = new BlobScan();
  nodes: QuicklistNodeFacts[] = [];
  lengthSum = 0;
  fieldsWithTtl = 0;
  minFieldExpire = -1;
  pendingTtl = -1;
  listValues: Buffer[] | null = null;
  zsetValues: ZsetEntry[] | null = null;
  hashValues: HashEntry[] | null = null;
  pendingBuf: Buffer | null = null;
  pendingField: Buffer | null = null;
  stream: StreamFacts | null = null;
  streamValue: RdbStreamValue | null = null;
  group: StreamGroupFacts | null = null;
  groupValue: StreamGroup | null = null;
  consumerIdx = 0;
  consumersLeft = 0;
  /** 16-byte stream IDs being collected (node keys, then each PEL) */
  readonly ids = new IdCollector();
  moduleName = '';
  moduleVersion = 0;
  /** module values/aux: 0 = value, 1 = aux */
  moduleAux: { offset: number; name: string; version: number; when: number } | null = null;

  /** the load-time checks are on (ParserOptions.loadChecks) */
  readonly loadChecks: boolean;
  private readonly strict: boolean;
  /** ParserOptions.split: the byte to split at (-1: none, or passed), and which part this is */
  private splitAt = -1;
  private readonly splitHead: boolean = false;
  /** the tail part before its boundary: values are skipped, records not emitted (ParserOptions.split) */
  skimming = false;
  /** where a head part stopped (the boundary), -1 otherwise */
  stoppedAt = -1;
  /** (db, key) fingerprints of the keys so far: duplicates */
  private keySet: KeyDuplicates | null = null;
  /** the fields of the blob being walked: duplicates (the pair encodings) */
  readonly fieldSet = new FingerprintSet(64);
  /** the current key had a corrupt_value finding */
  private keyDamaged = false;
  /** the key whose LZF string is being checked as it is skipped */
  private lzfKey: { db: number; key: Buffer; at: number } | null = null;

  constructor(opts: ParserOptions) {
    super(opts.file, opts.totalSize ?? -1, opts.verifyChecksum !== false);
    this.onRecord = opts.onRecord;
    this.wantValues = opts.values === true;
    this.single = opts.resume !== undefined;
    this.loadChecks = opts.loadChecks !== false && !this.single;
    this.strict = opts.strict === true && this.loadChecks;
    if (opts.split) {
      this.splitAt = opts.split.at;
      this.splitHead = opts.split.part === 'head';
      this.skimming = !this.splitHead;
    }
    this.checkLzf = this.loadChecks && !this.skimming;
    if (this.loadChecks && !this.splitHead) this.keySet = new KeyDuplicates(opts.directKeys);
    if (opts.resume) {
      this.base = opts.resume.offset;
      this.version = opts.resume.version;
      this.valkey = opts.resume.valkey;
      this.db = opts.resume.db;
      this.state = S_TOP;
    }
  }

  get done(): boolean {
    return this.state === S_DONE;
  }

  /** Input fed after the end of the RDB (a replication stream's next bytes), once done. */
  remainder(): Buffer {
    return this.state === S_DONE ? Buffer.from(this.buf.subarray(this.pos, this.lim)) : EMPTY;
  }

  write(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.state === S_DONE) {
      this.append(chunk);
      return;
    }
    if (this.base + this.lim + chunk.length < this.wantAbs && this.skip === 0) {
      this.append(chunk); // a long unit is still incomplete: no point retrying yet
      return;
    }
    this.feed(chunk);
    this.run();
  }

  end(): void {
    this.ended = true;
    if (this.state !== S_DONE) this.run();
    if (this.state !== S_DONE) {
      // run() stops short only by waiting for input; with none coming, that is a truncation
      throw this.eofError(0);
    }
  }

  // ---------------------------------------------------------------- main loop

  private run(): void {
    for (;;) {
      if (this.pending !== null && this.pos >= this.bridgeLeft) this.leaveBridge();
      if (this.skip > 0) {
        const n = Math.min(this.skip, this.lim - this.pos);
        if (this.lzfSkipping) this.lzf.feed(this.buf, this.pos, this.pos + n);
        this.pos += n;
        this.skip -= n;
        if (this.skip > 0) {
          if (this.pending !== null) continue;
          if (this.ended) throw this.eofError(this.skip);
          return;
        }
        if (this.lzfSkipping) {
          this.lzfSkipping = false;
          if (!this.lzf.ok()) this.lzfDamaged(-1);
        }
      }
      const mark = this.pos;
      try {
        switch (this.state) {
          case S_HEADER:
            this.readHeader();
            break;
          case S_TOP:
            this.readTop();
            break;
          case S_VALUE:
            this.readValueUnit();
            break;
          case S_TRAILER:
            this.readTrailer();
            break;
          default:
            return;
        }
      } catch (e) {
        if (e !== NEED_MORE) throw e;
        this.pos = mark;
        if (this.pending !== null) {
          this.mergePending();
          continue;
        }
        if (this.ended) throw this.eofError(0);
        return;
      }
      if ((this.state as number) === S_DONE) {
        if (this.pending !== null) this.mergePending();
        return;
      }
    }
  }

  // ---------------------------------------------------------------- errors

  /** The input will not be finished (a dropped link): let the duplicate check's temporary file go. */
  abandon(): void {
    this.keySet?.close();
    this.keySet = null;
  }

  fail(code: RdbErrorCode, reason: string, at: number): RdbError {
    this.keySet?.close(); // the parse ends here: the duplicate check's temporary file goes
    return new RdbError(code, reason, {
      file: this.file,
      offset: at,
      key: this.cur?.key,
      rdbType: this.cur?.rdbType,
      keysRead: this.keysRead,
    });
  }

  private eofError(missing: number): RdbError {
    this.keySet?.close();
    const at = this.base + this.lim;
    let what: string;
    if (this.state === S_HEADER) what = `reading the 9-byte header of a ${at}-byte input`;
    else if (this.state === S_TRAILER) what = 'reading the 8-byte CRC64 trailer';
    else if (this.cur) {
      what = `reading the value of key "${printableKey(this.cur.key)}" (${this.cur.type})`;
      if (missing > 0) what += `, ${missing} more bytes expected`;
    } else what = 'expecting the next opcode or key (EOF opcode and checksum missing)';
    return new RdbError('unexpected_eof', `input ended ${what}`, {
      file: this.file,
      offset: at,
      key: this.cur?.key,
      rdbType: this.cur?.rdbType,
      keysRead: this.keysRead,
    });
  }

  /**
   * A load-time finding (integrity.ts) about key `key` of db `db`: an IntegrityRecord, or with
   * `strict` an RdbError.
   */
  finding(check: IntegrityCheck, reason: string, at: number, db: number, key: Buffer, rdbType?: number, keyAt = false): void {
    if (check === 'corrupt_value') this.keyDamaged = true;
    const server = serverAction(check);
    if (this.strict) {
      throw new RdbError(check, `${reason} (redis-server would ${server === 'refuse' ? 'refuse to load the dump' : 'skip the key'}; --strict)`, {
        file: this.file,
        offset: at,
        key: keyAt ? undefined : key,
        rdbType,
        keysRead: this.keysRead,
      });
    }
    this.emit({ kind: 'integrity', offset: at, check, db, key, server, reason, ...(keyAt ? { keyAt: true } : {}) });
  }

  /** A deep-check failure of the blob just walked (BlobScan.damage), at blobAbs + its offset. */
  blobDamage(blobAbs: number): void {
    const scan = this.scan;
    if (scan.damage === null) return;
    const rec = this.cur!;
    // inside an LZF-compressed blob an offset is one of the decompressed bytes: name the string's
    if (this.sKind === RDB_STR_LZF) {
      this.finding('corrupt_value', `${rec.encoding}: ${scan.damage} (byte ${scan.damageAt} of the LZF-compressed value)`, blobAbs, rec.db, rec.key, rec.rdbType);
    } else this.finding('corrupt_value', `${rec.encoding}: ${scan.damage}`, blobAbs + scan.damageAt, rec.db, rec.key, rec.rdbType);
  }

  /** The fields of the next blob are checked for duplicates (the pair encodings). */
  checkFields(): void {
    if (!this.loadChecks) return;
    this.fieldSet.clear();
    this.scan.fields = this.fieldSet;
  }

  protected override lzfDamaged(at: number): void {
    const reason = 'LZF data does not decompress to the length it claims ("Invalid LZF compressed string")';
    if (at >= 0) {
      // skipped whole, inside its key
      const rec = this.cur!;
      this.finding('corrupt_value', reason, at, rec.db, rec.key, rec.rdbType);
      return;
    }
    // skipped as it streamed by: its key may have been emitted already (finishKey kept it)
    const k = this.lzfKey ?? { db: this.cur!.db, key: this.cur!.key, at: this.sAt };
    this.lzfKey = null;
    this.finding('corrupt_value', reason, k.at, k.db, k.key);
  }

  blobError(e: unknown, blobAbs: number): never {
    if (e instanceof BlobFormatError) {
      if (this.sKind === RDB_STR_LZF) throw this.fail('corrupt_value', `${e.message} (byte ${e.at} of the LZF-compressed value)`, blobAbs);
      throw this.fail('corrupt_value', e.message, blobAbs + e.at);
    }
    throw e;
  }

  // ---------------------------------------------------------------- header, opcodes, trailer

  private readHeader(): void {
    this.need(9);
    const b = this.buf;
    const p = this.pos;
    if (b.toString('latin1', p, p + 5) === 'REDIS') {
      const digits = b.toString('latin1', p + 5, p + 9);
      if (!/^[0-9]{4}$/.test(digits)) throw this.fail('bad_magic', `bad version digits "${digits}"`, 5);
      const v = Number(digits);
      if (v < 1 || v > RDB_VERSION_MAX_REDIS) {
        throw this.fail('unsupported_version', `RDB version ${v} is newer than any known format (max ${RDB_VERSION_MAX_REDIS})`, 5);
      }
      this.version = v;
    } else if (b.toString('latin1', p, p + 6) === 'VALKEY') {
      const digits = b.toString('latin1', p + 6, p + 9);
      const v = Number(digits);
      if (!/^[0-9]{3}$/.test(digits) || v !== RDB_VERSION_VALKEY_9) {
        throw this.fail('unsupported_version', `Valkey RDB version "${digits}" is not a known format`, 6);
      }
      this.version = v;
      this.valkey = true;
    } else {
      throw this.fail('bad_magic', 'the input does not start with "REDIS" or "VALKEY" (not an RDB file)', 0);
    }
    this.pos += 9;
    this.state = S_TOP;
    this.emit({ kind: 'header', offset: 0, magic: this.valkey ? 'VALKEY' : 'REDIS', version: this.version });
  }

  private emit(rec: RdbRecord): void {
    if (this.skimming && rec.kind !== 'header' && rec.kind !== 'aux' && rec.kind !== 'eof' && !(rec.kind === 'integrity' && rec.keyAt)) return;
    this.onRecord(rec);
  }

  /** At a top-level record boundary at or past ParserOptions.split's byte: stop, or stop skimming. */
  private atSplit(at: number): void {
    this.splitAt = -1;
    if (this.splitHead) {
      this.stoppedAt = at;
      this.state = S_DONE;
      return;
    }
    this.skimming = false;
    this.checkLzf = this.loadChecks;
    this.keysRead = 0;
  }

  private readTop(): void {
    const at = this.offset;
    if (this.splitAt >= 0 && at >= this.splitAt && this.pendingOffset < 0) {
      this.atSplit(at);
      if (this.state === S_DONE) return;
    }
    const op = this.u8();
    if (this.single && op >= RDB_OPCODE.SLOT_INFO && op !== RDB_OPCODE.IDLE && op !== RDB_OPCODE.FREQ && op !== RDB_OPCODE.EXPIRETIME_MS && op !== RDB_OPCODE.EXPIRETIME) {
      throw this.fail('corrupt_value', `opcode ${op} found where a key record should start`, at);
    }
    switch (op) {
      case RDB_OPCODE.EXPIRETIME_MS:
        this.pendingExpire = this.msTime();
        this.markPending(at);
        return;
      case RDB_OPCODE.EXPIRETIME:
        this.need(4);
        this.pendingExpire = this.buf.readInt32LE(this.pos) * 1000; // rdbLoadTime: int32 seconds
        this.pos += 4;
        this.markPending(at);
        return;
      case RDB_OPCODE.IDLE:
        this.pendingIdle = this.readCount();
        this.markPending(at);
        return;
      case RDB_OPCODE.FREQ:
        this.pendingFreq = this.u8();
        this.markPending(at);
        return;
      case RDB_OPCODE.SELECTDB: {
        const db = this.readCount();
        this.db = db;
        this.emit({ kind: 'selectdb', offset: at, db });
        return;
      }
      case RDB_OPCODE.RESIZEDB: {
        const dbSize = this.readCount();
        const expiresSize = this.readCount();
        // the keys to come: the duplicate check's table sized once, not grown (the hint may lie: capped)
        if (this.keySet !== null && this.totalSize >= 0) this.keySet.reserve(Math.min(this.keySet.size + dbSize, this.totalSize / 4));
        this.emit({ kind: 'resizedb', offset: at, dbSize, expiresSize });
        return;
      }
      case RDB_OPCODE.SLOT_INFO: {
        const slot = this.readCount();
        const slotSize = this.readCount();
        const expiresSlotSize = this.readCount();
        this.emit({ kind: 'slot-info', offset: at, slot, slotSize, expiresSlotSize });
        return;
      }
      case RDB_OPCODE.AUX: {
        const name = this.readString();
        const value = this.readString();
        this.emit({ kind: 'aux', offset: at, name: name.toString('latin1'), value });
        return;
      }
      case RDB_OPCODE.FUNCTION2: {
        const code = this.readString();
        this.emit({ kind: 'function', offset: at, code });
        return;
      }
      case RDB_OPCODE.FUNCTION_PRE_GA: {
        // Redis 7.0 release candidates: one function per record (Redis 7.0 GA refuses these)
        const name = this.readString();
        const engine = this.readString();
        const hasDescription = this.readCount();
        const description = hasDescription ? this.readString() : null;
        const code = this.readString();
        this.emit({ kind: 'function', offset: at, code, preRelease: { name: name.toString('latin1'), engine: engine.toString('latin1'), description } });
        return;
      }
      case RDB_OPCODE.MODULE_AUX: {
        const id = this.readLenBig();
        const whenOp = this.readCount();
        if (whenOp !== RDB_MODULE_OPCODE.UINT) throw this.fail('corrupt_value', 'module aux "when" is not a UINT opcode', at);
        const when = this.readCount();
        const { name, version } = moduleNameFromId(id);
        this.moduleAux = { offset: at, name, version, when };
        this.beginValue(at, RDB_TYPE.MODULE_2, EMPTY, true);
        return;
      }
      case RDB_OPCODE.EOF:
        this.state = S_TRAILER;
        return;
      default:
        this.readKeyHeader(at, op);
    }
  }

  private markPending(at: number): void {
    if (this.pendingOffset < 0) this.pendingOffset = at;
  }

  private readKeyHeader(at: number, rdbType: number): void {
    const type = this.valkey && rdbType === VALKEY_RDB_TYPE_HASH_2 ? 'hash' : valueTypeOf(rdbType);
    if (type === undefined) {
      throw this.fail('unknown_type', `type byte 0x${rdbType.toString(16)} (${rdbType}) is neither an opcode nor a value type`, at);
    }
    const key = this.readString();
    this.beginValue(at, rdbType, key, false, type);
  }

  private beginValue(at: number, rdbType: number, key: Buffer, aux: boolean, type: ValueType = 'module'): void {
    const offset = aux ? at : this.pendingOffset >= 0 ? this.pendingOffset : at;
    const encoding = this.valkey && rdbType === VALKEY_RDB_TYPE_HASH_2 ? 'hashtable-ttl' : rdbEncodingName(rdbType);
    const facts: ValueFacts = {
      integer: false,
      elements: null,
      blobBytes: 0,
      listpackBytes: 0,
      ziplistBytes: 0,
      intsetWidth: 0,
      nodes: null,
      fieldTtl: null,
      stream: null,
      module: null,
      serializedBytes: 0,
    };
    this.cur = {
      kind: 'key',
      db: this.db,
      key,
      type,
      rdbType,
      encoding,
      expireAt: aux ? -1 : this.pendingExpire,
      idle: aux ? -1 : this.pendingIdle,
      freq: aux ? -1 : this.pendingFreq,
      offset,
      end: 0,
      length: 0,
      maxElementLength: 0,
      facts,
    };
    if (!aux) {
      this.pendingOffset = -1;
      this.pendingExpire = -1;
      this.pendingIdle = -1;
      this.pendingFreq = -1;
    }
    this.valueStart = this.offset;
    this.state = S_VALUE;
    this.phase = 0;
    this.remaining = -1; // count not read yet
    this.stats.reset();
    this.lengthSum = 0;
    this.listValues = null;
    this.zsetValues = null;
    this.hashValues = null;
    this.pendingBuf = null;
    this.pendingField = null;
    this.fieldsWithTtl = 0;
    this.minFieldExpire = -1;
    this.lowestTtl = -1;
    this.keyDamaged = false;
    this.vstate = aux ? V_MODULE : this.valueStateFor(rdbType);
  }

  private valueStateFor(t: number): number {
    if (this.valkey && t === VALKEY_RDB_TYPE_HASH_2) return V_HASH2;
    switch (t) {
      case RDB_TYPE.STRING:
        return V_STRING;
      case RDB_TYPE.LIST:
      case RDB_TYPE.SET:
        return V_ELEMENTS;
      case RDB_TYPE.HASH:
        return V_HASH;
      case RDB_TYPE.ZSET:
      case RDB_TYPE.ZSET_2:
        return V_ZSET;
      case RDB_TYPE.HASH_ZIPMAP:
      case RDB_TYPE.LIST_ZIPLIST:
      case RDB_TYPE.SET_INTSET:
      case RDB_TYPE.ZSET_ZIPLIST:
      case RDB_TYPE.HASH_ZIPLIST:
      case RDB_TYPE.HASH_LISTPACK:
      case RDB_TYPE.ZSET_LISTPACK:
      case RDB_TYPE.SET_LISTPACK:
      case RDB_TYPE.HASH_LISTPACK_EX_PRE_GA:
        return V_BLOB;
      case RDB_TYPE.HASH_LISTPACK_EX:
        return V_LPEX_MIN;
      case RDB_TYPE.LIST_QUICKLIST:
      case RDB_TYPE.LIST_QUICKLIST_2:
        return V_QUICKLIST;
      case RDB_TYPE.HASH_METADATA:
      case RDB_TYPE.HASH_METADATA_PRE_GA:
        return V_HASH_TTL;
      case RDB_TYPE.STREAM_LISTPACKS:
      case RDB_TYPE.STREAM_LISTPACKS_2:
      case RDB_TYPE.STREAM_LISTPACKS_3:
        return V_STREAM;
      case RDB_TYPE.MODULE_2:
        return V_MODULE;
      default:
        throw this.fail('unsupported_value', `value type ${t} (module values of the pre-GA format) cannot be skipped`, this.valueStart);
    }
  }

  private readTrailer(): void {
    const eofAt = this.offset - 1;
    if (this.version < 5 && !this.valkey) {
      this.state = S_DONE;
      this.eofChecks();
      this.emit({ kind: 'eof', offset: eofAt, checksum: 'absent', trailer: null, size: this.offset });
      return;
    }
    this.need(8);
    // the CRC covers everything up to and including the EOF opcode
    this.updateCrc();
    const trailer = this.buf.readBigUInt64LE(this.pos);
    let checksum: 'verified' | 'not-computed' | 'unchecked' = 'verified';
    if (trailer === 0n) checksum = 'not-computed';
    else if (!this.verify) checksum = 'unchecked';
    else if (!this.crc.matchesLE(this.buf, this.pos)) {
      const stored = trailer.toString(16).padStart(16, '0');
      throw this.fail('checksum_mismatch', `CRC64 trailer ${stored} does not match the content's ${this.crc.hex()}`, this.offset);
    }
    this.pos += 8;
    this.crcPos = this.pos;
    this.state = S_DONE;
    this.eofChecks();
    this.emit({ kind: 'eof', offset: eofAt, checksum, trailer, size: this.offset });
  }

  /**
   * The duplicates the key check found only now, past its exact part (KeyDuplicates): findings
   * by offset, the key's name left for the caller to read back (IntegrityRecord.keyAt).
   */
  private eofChecks(): void {
    const set = this.keySet;
    this.keySet = null; // the dump is read: its key table is garbage now (a follower keeps its parser)
    if (set === null) return;
    for (const d of set.finish()) {
      this.finding('duplicate_key', `key already in db ${d.db} ("Duplicated key found in RDB file"), found at the end of the dump: both copies are counted`, d.offset, d.db, EMPTY_KEY, undefined, true);
    }
  }

  // ---------------------------------------------------------------- values

  private readValueUnit(): void {
    switch (this.vstate) {
      case V_STRING:
        return this.readStringValue();
      case V_ELEMENTS:
        return readElementsUnit(this);
      case V_HASH:
        return readHashUnit(this);
      case V_ZSET:
        return readZsetUnit(this);
      case V_BLOB:
        return readBlobValue(this);
      case V_LPEX_MIN:
        this.minFieldExpire = this.msTime();
        this.vstate = V_BLOB;
        return;
      case V_QUICKLIST:
        return readQuicklistUnit(this);
      case V_HASH_TTL:
      case V_HASH2:
        return readHashTtlUnit(this, this.vstate === V_HASH2);
      case V_STREAM:
        return readStreamUnit(this);
      case V_MODULE:
        return readModuleUnit(this);
    }
  }

  finishKey(length: number): void {
    const rec = this.cur!;
    rec.end = this.offset + this.skip;
    rec.length = length;
    rec.facts.serializedBytes = rec.end - this.valueStart;
    if (rec.facts.elements === null && rec.type !== 'string' && rec.type !== 'stream' && rec.type !== 'module') {
      rec.facts.elements = this.stats;
    }
    if (rec.type !== 'string' && rec.maxElementLength === 0) rec.maxElementLength = this.stats.maxLength;
    if (this.lzfSkipping) this.lzfKey = { db: rec.db, key: rec.key, at: this.sAt };
    this.state = S_TOP;
    this.cur = null;
    this.keysRead++;
    if (this.loadChecks && !this.loadCheck(rec, length)) return;
    this.emit(rec);
    if (this.single) this.state = S_DONE;
  }

  /**
   * rdbLoadRioWithLoadingCtx's checks on a key just read: an empty collection is skipped
   * ("empty keys skipped"), a key already in its db is "Duplicated key found in RDB file".
   * False when the key is not to be emitted.
   */
  private loadCheck(rec: KeyRecord, length: number): boolean {
    if (length === 0 && !this.keyDamaged && (rec.type === 'list' || rec.type === 'set' || rec.type === 'zset' || rec.type === 'hash')) {
      this.finding('empty_key', `empty ${rec.type} (${rec.encoding}), "rdbLoadObject skipping empty key"`, rec.offset, rec.db, rec.key, rec.rdbType);
      return false;
    }
    if (this.keySet === null) return true; // a head part: the tail checks every key
    fingerprint(rec.key, 0, rec.key.length, rec.db);
    if (this.keySet.addLast(rec.offset, rec.db)) return true;
    this.finding('duplicate_key', `key already in db ${rec.db} ("Duplicated key found in RDB file")${this.strict ? '' : '; this second copy is left out'}`, rec.offset, rec.db, rec.key, rec.rdbType);
    return false;
  }

  /** A module aux payload read to its end (module.ts): back to the top level. */
  finishModuleAux(rec: RdbRecord): void {
    this.moduleAux = null;
    this.cur = null;
    this.state = S_TOP;
    this.emit(rec);
  }

  private readStringValue(): void {
    const rec = this.cur!;
    this.readStringHeader();
    rec.encoding = this.sKind === RDB_STR_INT ? 'int' : this.sKind === RDB_STR_LZF ? 'lzf' : 'raw';
    const len = this.sLen;
    if (this.wantValues) {
      const v = this.takeString();
      rec.value = { type: 'string', value: v };
      rec.facts.integer = v.length <= 20 && classifyIntegerText(v, 0, v.length) !== INT_CLASS.STRING;
    } else {
      rec.facts.integer = this.measureString() !== INT_CLASS.STRING;
    }
    rec.maxElementLength = len;
    this.finishKey(len);
  }

  /** Count for a collection, read once at its first unit. */
  beginCount(minBytes: number, what: string): boolean {
    if (this.remaining >= 0) return false;
    this.remaining = this.readCountOf(minBytes, what);
    return true;
  }


  length0 = 0;





  lowestTtl = -1;



  // ---------------------------------------------------------------- streams


  // ---------------------------------------------------------------- modules

}








