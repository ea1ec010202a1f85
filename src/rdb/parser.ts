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
 */
import {
  RDB_TYPE,
  RDB_OPCODE,
  RDB_MODULE_OPCODE,
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
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
import {
  ALL_ELEMENTS,
  BlobFormatError,
  BlobScan,
  EncodedValue,
  EntryLayout,
  FIELD_VALUE,
  FIELD_VALUE_TTL,
  MEMBER_SCORE,
  decimalBuffer,
} from './encoded.js';
import { scanZiplist } from './ziplist.js';
import { scanListpack } from './listpack.js';
import { scanIntset } from './intset.js';
import { scanZipmap } from './zipmap.js';
import { decodeStreamNode, rawStreamId, StreamFacts, StreamGroup, StreamGroupFacts, RdbStreamValue } from './stream.js';
import { moduleNameFromId } from './module.js';
import type {
  HashEntry,
  KeyRecord,
  QuicklistNodeFacts,
  RdbRecord,
  Value,
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
}



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
const ST_NODES = 0;
const ST_META = 1;
const ST_GROUP = 2;
const ST_GROUP_PEL = 3;
const ST_CONSUMERS = 4;
const ST_CONSUMER = 5;
const ST_CONSUMER_PEL = 6;




export class RdbParser extends RdbReader {
  private readonly onRecord: (rec: RdbRecord) => void;
  private readonly wantValues: boolean;
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

  // the key being read
  private cur: KeyRecord | null = null;
  private valueStart = 0;
  private vstate = 0;
  private phase = 0;
  private remaining = 0;
  private readonly stats = new ElementStats();
  private readonly scan = new BlobScan();
  private nodes: QuicklistNodeFacts[] = [];
  private lengthSum = 0;
  private fieldsWithTtl = 0;
  private minFieldExpire = -1;
  private pendingTtl = -1;
  private listValues: Buffer[] | null = null;
  private zsetValues: ZsetEntry[] | null = null;
  private hashValues: HashEntry[] | null = null;
  private pendingBuf: Buffer | null = null;
  private pendingField: Buffer | null = null;
  private stream: StreamFacts | null = null;
  private streamValue: RdbStreamValue | null = null;
  private group: StreamGroupFacts | null = null;
  private groupValue: StreamGroup | null = null;
  private consumerIdx = 0;
  private consumersLeft = 0;
  /** 16-byte stream IDs being collected (node keys, then each PEL) */
  private readonly ids = new IdCollector();
  private moduleName = '';
  private moduleVersion = 0;
  /** module values/aux: 0 = value, 1 = aux */
  private moduleAux: { offset: number; name: string; version: number; when: number } | null = null;

  constructor(opts: ParserOptions) {
    super(opts.file, opts.totalSize ?? -1, opts.verifyChecksum !== false);
    this.onRecord = opts.onRecord;
    this.wantValues = opts.values === true;
    this.single = opts.resume !== undefined;
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
        this.pos += n;
        this.skip -= n;
        if (this.skip > 0) {
          if (this.pending !== null) continue;
          if (this.ended) throw this.eofError(this.skip);
          return;
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

  protected fail(code: RdbErrorCode, reason: string, at: number): RdbError {
    return new RdbError(code, reason, {
      file: this.file,
      offset: at,
      key: this.cur?.key,
      rdbType: this.cur?.rdbType,
      keysRead: this.keysRead,
    });
  }

  private eofError(missing: number): RdbError {
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

  private blobError(e: unknown, blobAbs: number): never {
    if (e instanceof BlobFormatError) throw this.fail('corrupt_value', e.message, blobAbs + e.at);
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
    this.onRecord(rec);
  }

  private readTop(): void {
    const at = this.offset;
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
    this.emit({ kind: 'eof', offset: eofAt, checksum, trailer, size: this.offset });
  }

  // ---------------------------------------------------------------- values

  private readValueUnit(): void {
    switch (this.vstate) {
      case V_STRING:
        return this.readStringValue();
      case V_ELEMENTS:
        return this.readElementsUnit();
      case V_HASH:
        return this.readHashUnit();
      case V_ZSET:
        return this.readZsetUnit();
      case V_BLOB:
        return this.readBlobValue();
      case V_LPEX_MIN:
        this.minFieldExpire = this.msTime();
        this.vstate = V_BLOB;
        return;
      case V_QUICKLIST:
        return this.readQuicklistUnit();
      case V_HASH_TTL:
      case V_HASH2:
        return this.readHashTtlUnit();
      case V_STREAM:
        return this.readStreamUnit();
      case V_MODULE:
        return this.readModuleUnit();
    }
  }

  private finishKey(length: number): void {
    const rec = this.cur!;
    rec.end = this.offset + this.skip;
    rec.length = length;
    rec.facts.serializedBytes = rec.end - this.valueStart;
    if (rec.facts.elements === null && rec.type !== 'string' && rec.type !== 'stream' && rec.type !== 'module') {
      rec.facts.elements = this.stats;
    }
    if (rec.type !== 'string' && rec.maxElementLength === 0) rec.maxElementLength = this.stats.maxLength;
    this.state = S_TOP;
    this.cur = null;
    this.keysRead++;
    this.emit(rec);
    if (this.single) this.state = S_DONE;
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
  private beginCount(minBytes: number, what: string): boolean {
    if (this.remaining >= 0) return false;
    this.remaining = this.readCountOf(minBytes, what);
    return true;
  }

  /** One element of a linked list or hashtable set. */
  private readElementsUnit(): void {
    const rec = this.cur!;
    if (this.beginCount(1, 'elements')) {
      this.length0 = this.remaining;
      if (this.wantValues) this.listValues = [];
      return;
    }
    if (this.remaining === 0) {
      if (this.listValues) rec.value = { type: rec.type as 'list' | 'set', value: this.listValues };
      this.finishKey(this.length0);
      return;
    }
    this.readElement(this.listValues);
    this.remaining--;
  }

  private length0 = 0;

  /** Read one element string into stats (and `into` in values mode). */
  private readElement(into: Buffer[] | null): Buffer | null {
    this.readStringHeader();
    if (into !== null || this.wantValues) {
      const v = this.takeString();
      this.stats.addText(v, 0, v.length);
      into?.push(v);
      return v;
    }
    const len = this.sLen;
    const cls = this.measureString();
    this.stats.add(len, cls);
    return null;
  }

  private readHashUnit(): void {
    const rec = this.cur!;
    if (this.beginCount(2, 'fields')) {
      this.length0 = this.remaining;
      if (this.wantValues) this.hashValues = [];
      return;
    }
    if (this.remaining === 0) {
      if (this.hashValues) rec.value = { type: 'hash', value: this.hashValues };
      this.finishKey(this.length0);
      return;
    }
    if (this.phase === 0) {
      this.pendingField = this.readElement(null);
      this.phase = 1;
    } else {
      const v = this.readElement(null);
      this.hashValues?.push({ field: this.pendingField!, value: v!, expireAt: -1 });
      this.phase = 0;
      this.remaining--;
    }
  }

  private readZsetUnit(): void {
    const rec = this.cur!;
    if (this.beginCount(2, 'members')) {
      this.length0 = this.remaining;
      if (this.wantValues) this.zsetValues = [];
      return;
    }
    if (this.remaining === 0) {
      if (this.zsetValues) rec.value = { type: 'zset', value: this.zsetValues };
      this.finishKey(this.length0);
      return;
    }
    if (this.phase === 0) {
      this.pendingField = this.readElement(null);
      this.phase = 1;
      return;
    }
    let score: number;
    if (rec.rdbType === RDB_TYPE.ZSET_2) {
      this.need(8);
      score = this.buf.readDoubleLE(this.pos);
      this.pos += 8;
    } else {
      // rdbLoadDoubleValue: length byte, 253 NaN, 254 +inf, 255 -inf, else ASCII
      const n = this.u8();
      if (n === 253) score = NaN;
      else if (n === 254) score = Infinity;
      else if (n === 255) score = -Infinity;
      else {
        this.need(n);
        score = parseScore(this.buf.toString('latin1', this.pos, this.pos + n));
        this.pos += n;
        if (Number.isNaN(score)) throw this.fail('corrupt_value', 'zset score is not a number', this.offset - n - 1);
      }
    }
    this.stats.addScore(score);
    this.zsetValues?.push([this.pendingField!, score]);
    this.phase = 0;
    this.remaining--;
  }

  /** HASH_METADATA (ttl, field, value) and Valkey's HASH_2 (field, value, ttl). */
  private readHashTtlUnit(): void {
    const rec = this.cur!;
    const valkey = this.vstate === V_HASH2;
    if (this.remaining < 0) {
      if (!valkey && rec.rdbType === RDB_TYPE.HASH_METADATA && this.phase === 0) {
        this.minFieldExpire = this.msTime();
        this.phase = 1;
        return;
      }
      this.remaining = this.readCountOf(2, 'fields');
      this.length0 = this.remaining;
      if (this.wantValues) this.hashValues = [];
      this.phase = 0;
      return;
    }
    if (this.remaining === 0) {
      if (this.hashValues) rec.value = { type: 'hash', value: this.hashValues };
      rec.facts.fieldTtl = { fieldsWithTtl: this.fieldsWithTtl, minExpireAt: this.lowestTtl };
      this.finishKey(this.length0);
      return;
    }
    // unit order: valkey field(0) value(1) ttl(2); redis ttl(0) field(1) value(2)
    const ttlPhase = valkey ? 2 : 0;
    if (this.phase === ttlPhase) {
      let expireAt: number;
      if (valkey) {
        expireAt = this.msTime();
      } else {
        const ttl = this.readCount();
        // HASH_METADATA stores ttl - minExpire + 1 (0: none); the pre-GA form is absolute
        expireAt = ttl === 0 ? -1 : rec.rdbType === RDB_TYPE.HASH_METADATA ? ttl + this.minFieldExpire - 1 : ttl;
      }
      if (expireAt >= 0) {
        this.fieldsWithTtl++;
        if (this.lowestTtl < 0 || expireAt < this.lowestTtl) this.lowestTtl = expireAt;
      }
      this.pendingTtl = expireAt;
    } else if (this.phase === (valkey ? 0 : 1)) {
      this.pendingField = this.readElement(null);
    } else {
      this.pendingBuf = this.readElement(null);
    }
    if (++this.phase === 3) {
      this.phase = 0;
      this.remaining--;
      this.stats.addPairTtl(this.pendingTtl >= 0);
      this.hashValues?.push({ field: this.pendingField!, value: this.pendingBuf!, expireAt: this.pendingTtl });
    }
  }

  private lowestTtl = -1;

  /** A value stored as one encoded string: ziplist, listpack, intset or zipmap. */
  private readBlobValue(): void {
    const rec = this.cur!;
    this.readStringHeader();
    this.viewString();
    const blob = this.vBuf;
    const bs = this.vStart;
    const be = this.vEnd;
    const facts = rec.facts;
    facts.blobBytes = be - bs;
    const scan = this.scan;
    scan.reset(this.wantValues);
    const t = rec.rdbType;
    const stats = this.stats;
    try {
      switch (t) {
        case RDB_TYPE.LIST_ZIPLIST:
          scanZiplist(blob, bs, be, ALL_ELEMENTS, stats, scan);
          break;
        case RDB_TYPE.ZSET_ZIPLIST:
          scanZiplist(blob, bs, be, MEMBER_SCORE, stats, scan);
          break;
        case RDB_TYPE.HASH_ZIPLIST:
          scanZiplist(blob, bs, be, FIELD_VALUE, stats, scan);
          break;
        case RDB_TYPE.SET_LISTPACK:
          scanListpack(blob, bs, be, ALL_ELEMENTS, stats, scan);
          break;
        case RDB_TYPE.ZSET_LISTPACK:
          scanListpack(blob, bs, be, MEMBER_SCORE, stats, scan);
          break;
        case RDB_TYPE.HASH_LISTPACK:
          scanListpack(blob, bs, be, FIELD_VALUE, stats, scan);
          break;
        case RDB_TYPE.HASH_LISTPACK_EX:
        case RDB_TYPE.HASH_LISTPACK_EX_PRE_GA:
          scanListpack(blob, bs, be, FIELD_VALUE_TTL, stats, scan);
          break;
        case RDB_TYPE.SET_INTSET:
          facts.intsetWidth = scanIntset(blob, bs, be, stats, scan);
          break;
        case RDB_TYPE.HASH_ZIPMAP:
          scanZipmap(blob, bs, be, stats, scan);
          break;
      }
    } catch (e) {
      this.blobError(e, this.sAt);
    }
    facts.listpackBytes = scan.listpackBytes;
    facts.ziplistBytes = scan.ziplistBytes;
    const layout = layoutOf(t);
    if (scan.entries % layout.stride !== 0) {
      throw this.fail('corrupt_value', `${rec.encoding} holds ${scan.entries} entries, not a multiple of ${layout.stride}`, this.sAt);
    }
    const length = scan.entries / layout.stride;
    if (layout === FIELD_VALUE_TTL) {
      // every third entry is a TTL (0: none); summary mode walks the blob again for them
      let entries = scan.values;
      if (entries === null) {
        const all = new BlobScan();
        all.reset(true);
        scanListpack(blob, bs, be, FIELD_VALUE_TTL, null, all);
        entries = all.values!;
      }
      let withTtl = 0;
      let lowest = -1;
      for (let i = 2; i < entries.length; i += 3) {
        const ttl = Number(entries[i]);
        stats.addPairTtl(ttl > 0);
        if (ttl > 0) {
          withTtl++;
          if (lowest < 0 || ttl < lowest) lowest = ttl;
        }
      }
      facts.fieldTtl = { fieldsWithTtl: withTtl, minExpireAt: lowest };
    }
    if (scan.values) rec.value = blobValue(rec.type, layout, scan.values);
    this.finishKey(length);
  }

  /** One quicklist node: [container] then a ziplist/listpack (or a plain element). */
  private readQuicklistUnit(): void {
    const rec = this.cur!;
    if (this.beginCount(1, 'quicklist nodes')) {
      this.nodes = [];
      this.lengthSum = 0;
      if (this.wantValues) this.listValues = [];
      return;
    }
    if (this.remaining === 0) {
      rec.facts.nodes = this.nodes;
      if (this.listValues) rec.value = { type: 'list', value: this.listValues };
      this.finishKey(this.lengthSum);
      return;
    }
    const v2 = rec.rdbType === RDB_TYPE.LIST_QUICKLIST_2;
    let container = QUICKLIST_NODE_CONTAINER_PACKED;
    if (v2) {
      const at = this.offset;
      container = this.readCount();
      if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
        throw this.fail('corrupt_value', `quicklist node container ${container} is neither plain (1) nor packed (2)`, at);
      }
    }
    this.readStringHeader();
    const compressedBytes = this.sKind === RDB_STR_LZF ? this.sClen : 0;
    if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
      const len = this.sLen;
      if (this.listValues) {
        const v = this.takeString();
        this.listValues.push(v);
        this.stats.addText(v, 0, v.length);
      } else {
        this.stats.add(len, this.measureString());
      }
      this.nodes.push({ container, blobBytes: len, listpackBytes: len, entries: 1, compressedBytes });
      this.lengthSum += 1;
      this.remaining--;
      return;
    }
    const blobAt = this.sAt;
    this.viewString();
    const blob = this.vBuf;
    const bs = this.vStart;
    const be = this.vEnd;
    const scan = this.scan;
    scan.reset(this.listValues !== null);
    try {
      if (v2) scanListpack(blob, bs, be, ALL_ELEMENTS, this.stats, scan);
      else scanZiplist(blob, bs, be, ALL_ELEMENTS, this.stats, scan);
    } catch (e) {
      this.blobError(e, blobAt);
    }
    if (this.listValues && scan.values) for (const x of scan.values) this.listValues.push(toBuffer(x));
    this.nodes.push({ container, blobBytes: be - bs, listpackBytes: scan.listpackBytes, entries: scan.entries, compressedBytes });
    this.lengthSum += scan.entries;
    this.remaining--;
  }

  // ---------------------------------------------------------------- streams

  private readStreamUnit(): void {
    const rec = this.cur!;
    const t = rec.rdbType;
    switch (this.phase) {
      case ST_NODES: {
        if (this.remaining < 0) {
          this.remaining = this.readCountOf(2, 'listpack nodes');
          this.stream = {
            nodes: this.remaining,
            nodeKeys: EMPTY,
            nodeBytes: [],
            length: 0,
            lastId: '0-0',
            firstId: null,
            maxDeletedId: null,
            entriesAdded: null,
            groups: [],
          };
          this.ids.reset();
          this.streamValue = this.wantValues
            ? { length: 0, lastId: '0-0', firstId: null, maxDeletedId: null, entriesAdded: null, entries: [], groups: [] }
            : null;
          return;
        }
        if (this.remaining === 0) {
          this.stream!.nodeKeys = this.ids.take();
          this.phase = ST_META;
          return;
        }
        const keyAt = this.offset;
        const nodeKey = this.readString();
        if (nodeKey.length !== 16) throw this.fail('corrupt_value', `stream node key of ${nodeKey.length} bytes, not 16`, keyAt);
        this.readStringHeader();
        const lpAt = this.sAt;
        this.viewString();
        const lp = this.vBuf;
        const ls = this.vStart;
        const le = this.vEnd;
        if (le - ls < 7 || lp.readUInt16LE(ls + 4) === 0) throw this.fail('corrupt_value', 'empty stream node listpack', lpAt);
        this.ids.add(nodeKey, 0);
        this.stream!.nodeBytes.push(le - ls);
        if (this.streamValue) {
          try {
            decodeStreamNode(nodeKey, lp, ls, le, this.streamValue.entries);
          } catch (e) {
            this.blobError(e, lpAt);
          }
        }
        this.remaining--;
        return;
      }
      case ST_META: {
        const s = this.stream!;
        s.length = this.readCount();
        s.lastId = `${this.readLenBig()}-${this.readLenBig()}`;
        if (t >= RDB_TYPE.STREAM_LISTPACKS_2) {
          s.firstId = `${this.readLenBig()}-${this.readLenBig()}`;
          s.maxDeletedId = `${this.readLenBig()}-${this.readLenBig()}`;
          s.entriesAdded = Number(this.readLenBig());
        }
        const groups = this.readCountOf(4, 'consumer groups');
        if (this.streamValue) {
          Object.assign(this.streamValue, {
            length: s.length,
            lastId: s.lastId,
            firstId: s.firstId,
            maxDeletedId: s.maxDeletedId,
            entriesAdded: s.entriesAdded,
          });
        }
        this.remaining = groups;
        this.phase = ST_GROUP;
        return;
      }
      case ST_GROUP: {
        if (this.remaining === 0) {
          rec.facts.stream = this.stream;
          if (this.streamValue) rec.value = { type: 'stream', value: this.streamValue };
          const len = this.stream!.length;
          this.stream = null;
          this.streamValue = null;
          this.finishKey(len);
          return;
        }
        const name = this.readString();
        const lastId = `${this.readLenBig()}-${this.readLenBig()}`;
        let entriesRead: number | null = null;
        if (t >= RDB_TYPE.STREAM_LISTPACKS_2) {
          // SCG_INVALID_ENTRIES_READ (all ones) means "unknown"
          const v = this.readLenBig();
          entriesRead = v === 0xffffffffffffffffn ? null : Number(v);
        }
        const pel = this.readCountOf(17, 'pending entries');
        this.group = { nameLength: name.length, pelCount: pel, pelIds: EMPTY, consumers: [] };
        this.stream!.groups.push(this.group);
        if (this.streamValue) {
          this.groupValue = { name, lastId, entriesRead, pending: [], consumers: [] };
          this.streamValue.groups.push(this.groupValue);
        }
        this.ids.reset();
        this.consumerIdx = pel;
        this.phase = ST_GROUP_PEL;
        return;
      }
      case ST_GROUP_PEL: {
        if (this.consumerIdx === 0) {
          this.group!.pelIds = this.ids.take();
          this.phase = ST_CONSUMERS;
          return;
        }
        this.need(16);
        const idAt = this.pos;
        this.pos += 16;
        const deliveryTime = this.msTime();
        const deliveryCount = this.readCount();
        this.ids.add(this.buf, idAt);
        this.groupValue?.pending.push({ id: rawStreamId(this.buf, idAt), consumer: null, deliveryTime, deliveryCount });
        this.consumerIdx--;
        return;
      }
      case ST_CONSUMERS: {
        this.consumersLeft = this.readCountOf(2, 'consumers');
        this.phase = ST_CONSUMER;
        return;
      }
      case ST_CONSUMER: {
        if (this.consumersLeft === 0) {
          this.remaining--;
          this.phase = ST_GROUP;
          return;
        }
        const name = this.readString();
        const seenTime = this.msTime();
        const activeTime = t >= RDB_TYPE.STREAM_LISTPACKS_3 ? this.msTime() : null;
        const pel = this.readCountOf(16, 'consumer pending entries');
        this.group!.consumers.push({ nameLength: name.length, pelCount: pel, pelIds: EMPTY });
        this.groupValue?.consumers.push({ name, seenTime, activeTime, pending: [] });
        this.ids.reset();
        this.consumerIdx = pel;
        this.phase = ST_CONSUMER_PEL;
        return;
      }
      case ST_CONSUMER_PEL: {
        const consumer = this.group!.consumers[this.group!.consumers.length - 1]!;
        if (this.consumerIdx === 0) {
          consumer.pelIds = this.ids.take();
          this.consumersLeft--;
          this.phase = ST_CONSUMER;
          return;
        }
        this.need(16);
        const idAt = this.pos;
        this.pos += 16;
        this.ids.add(this.buf, idAt);
        if (this.groupValue) {
          const id = rawStreamId(this.buf, idAt);
          const cv = this.groupValue.consumers[this.groupValue.consumers.length - 1]!;
          cv.pending.push(id);
          const owner = this.groupValue.pending.find((p) => p.id === id);
          if (owner) owner.consumer = cv.name;
        }
        this.consumerIdx--;
        return;
      }
    }
  }

  // ---------------------------------------------------------------- modules

  /** A module value or module aux payload: module id (values only), then opcodes to EOF. */
  private readModuleUnit(): void {
    const rec = this.cur!;
    const aux = this.moduleAux;
    if (aux === null && this.phase === 0) {
      const id = this.readLenBig();
      const m = moduleNameFromId(id);
      this.moduleName = m.name;
      this.moduleVersion = m.version;
      this.phase = 1;
      return;
    }
    const at = this.offset;
    const op = this.readCount();
    switch (op) {
      case RDB_MODULE_OPCODE.EOF:
        if (aux) {
          this.moduleAux = null;
          this.cur = null;
          this.state = S_TOP;
          this.emit({ kind: 'module-aux', offset: aux.offset, moduleName: aux.name, moduleVersion: aux.version, when: aux.when });
          return;
        }
        rec.facts.module = { name: this.moduleName, version: this.moduleVersion };
        if (this.wantValues) rec.value = { type: 'module', value: null };
        this.finishKey(0);
        return;
      case RDB_MODULE_OPCODE.SINT:
      case RDB_MODULE_OPCODE.UINT:
        this.readLenBig();
        return;
      case RDB_MODULE_OPCODE.FLOAT:
        this.need(4);
        this.pos += 4;
        return;
      case RDB_MODULE_OPCODE.DOUBLE:
        this.need(8);
        this.pos += 8;
        return;
      case RDB_MODULE_OPCODE.STRING:
        this.readStringHeader();
        this.skipPayload();
        return;
      default:
        throw this.fail('corrupt_value', `unknown module opcode ${op} in module "${aux?.name ?? this.moduleName}"`, at);
    }
  }
}



function layoutOf(t: number): EntryLayout {
  switch (t) {
    case RDB_TYPE.ZSET_ZIPLIST:
    case RDB_TYPE.ZSET_LISTPACK:
      return MEMBER_SCORE;
    case RDB_TYPE.HASH_ZIPLIST:
    case RDB_TYPE.HASH_LISTPACK:
    case RDB_TYPE.HASH_ZIPMAP:
      return FIELD_VALUE;
    case RDB_TYPE.HASH_LISTPACK_EX:
    case RDB_TYPE.HASH_LISTPACK_EX_PRE_GA:
      return FIELD_VALUE_TTL;
    default:
      return ALL_ELEMENTS;
  }
}

function toBuffer(v: EncodedValue): Buffer {
  return Buffer.isBuffer(v) ? v : decimalBuffer(v);
}

function toScore(v: EncodedValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return parseScore(v.toString('latin1'));
}

/** A score written as text, as strtod reads it ("inf", "-inf", "1.5e3"); NaN when it is not one. */
export function parseScore(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  return t === '' ? NaN : Number(t);
}

function blobValue(type: ValueType, layout: EntryLayout, values: EncodedValue[]): Value {
  switch (type) {
    case 'list':
      return { type: 'list', value: values.map(toBuffer) };
    case 'set':
      return { type: 'set', value: values.map(toBuffer) };
    case 'zset': {
      const out: ZsetEntry[] = [];
      for (let i = 0; i + 1 < values.length; i += 2) out.push([toBuffer(values[i]!), toScore(values[i + 1]!)]);
      return { type: 'zset', value: out };
    }
    default: {
      const out: HashEntry[] = [];
      const s = layout.stride;
      for (let i = 0; i + s - 1 < values.length; i += s) {
        const ttl = s === 3 ? Number(values[i + 2]) : 0;
        out.push({ field: toBuffer(values[i]!), value: toBuffer(values[i + 1]!), expireAt: ttl > 0 ? ttl : -1 });
      }
      return { type: 'hash', value: out };
    }
  }
}

/** Collects 16-byte stream IDs into one growing buffer. */
class IdCollector {
  private buf = Buffer.allocUnsafe(16 * 64);
  private n = 0;

  reset(): void {
    this.n = 0;
  }

  add(src: Uint8Array, off: number): void {
    if (this.n + 16 > this.buf.length) {
      const next = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(next, 0, 0, this.n);
      this.buf = next;
    }
    for (let i = 0; i < 16; i++) this.buf[this.n + i] = src[off + i]!;
    this.n += 16;
  }

  /** The IDs collected so far, as a new Buffer; starts over. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.n));
    this.n = 0;
    return out;
  }
}
