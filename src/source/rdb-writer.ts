/**
 * Writing an RDB byte stream: opcodes, lengths and strings in the encodings rdb.c uses, with a
 * running CRC-64 for the EOF trailer. Bytes collect in one buffer handed out as chunks; a big
 * value body is passed through as it is (counted in the CRC, not copied).
 */
import { Crc64 } from '../rdb/crc64.js';
import { RDB_OPCODE } from '../rdb/constants.js';

const CHUNK = 256 * 1024;
/** bodies at least this long are handed out as their own chunk rather than copied */
const PASS_THROUGH = 64 * 1024;

export class RdbWriter {
  private buf = Buffer.allocUnsafe(CHUNK);
  private off = 0;
  private readonly crc = new Crc64();
  private readonly out: Buffer[] = [];
  /** bytes written so far */
  size = 0;

  private room(n: number): void {
    if (this.off + n <= this.buf.length) return;
    this.cut();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  /** Move what is buffered to the output chunks. */
  private cut(): void {
    if (this.off === 0) return;
    const b = this.buf.subarray(0, this.off);
    this.crc.update(b, 0, b.length);
    this.out.push(b);
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.off = 0;
  }

  byte(v: number): void {
    this.room(1);
    this.buf[this.off++] = v;
    this.size++;
  }

  /** mirrors rdbSaveLen (rdb.c): 6-bit, 14-bit, 32-bit or 64-bit big-endian */
  len(n: number): void {
    this.room(9);
    if (n < 1 << 6) this.buf[this.off++] = n;
    else if (n < 1 << 14) {
      this.buf[this.off++] = 0x40 | (n >> 8);
      this.buf[this.off++] = n & 0xff;
    } else if (n <= 0xffffffff) {
      this.buf[this.off++] = 0x80;
      this.buf.writeUInt32BE(n, this.off);
      this.off += 4;
    } else {
      this.buf[this.off++] = 0x81;
      this.buf.writeBigUInt64BE(BigInt(n), this.off);
      this.off += 8;
    }
    this.size += n < 1 << 6 ? 1 : n < 1 << 14 ? 2 : n <= 0xffffffff ? 5 : 9;
  }

  /** Raw bytes handed out as their own chunk, not copied (a streamed value's parts). */
  chunk(b: Buffer): void {
    this.cut();
    this.crc.update(b, 0, b.length);
    this.out.push(b);
    this.size += b.length;
  }

  /** Raw bytes (a big run is passed through as its own chunk). */
  bytes(b: Buffer): void {
    if (b.length >= PASS_THROUGH) this.chunk(b);
    else {
      this.room(b.length);
      b.copy(this.buf, this.off);
      this.off += b.length;
      this.size += b.length;
    }
  }

  /** mirrors rdbSaveRawString without compression: length, bytes */
  string(b: Buffer | string): void {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    this.len(buf.length);
    this.bytes(buf);
  }

  header(magic: 'REDIS' | 'VALKEY', version: number): void {
    this.bytes(Buffer.from(magic === 'REDIS' ? `REDIS${String(version).padStart(4, '0')}` : `VALKEY${String(version).padStart(3, '0')}`, 'latin1'));
  }

  aux(name: string, value: string): void {
    this.byte(RDB_OPCODE.AUX);
    this.string(name);
    this.string(value);
  }

  selectDb(db: number, keys: number, expires: number): void {
    this.byte(RDB_OPCODE.SELECTDB);
    this.len(db);
    this.byte(RDB_OPCODE.RESIZEDB);
    this.len(keys);
    this.len(expires);
  }

  /** RDB_OPCODE_EXPIRETIME_MS: an absolute unix time in ms, 8 bytes little-endian */
  expireMs(at: number): void {
    this.byte(RDB_OPCODE.EXPIRETIME_MS);
    this.room(8);
    this.buf.writeBigInt64LE(BigInt(at), this.off);
    this.off += 8;
    this.size += 8;
  }

  idle(seconds: number): void {
    this.byte(RDB_OPCODE.IDLE);
    this.len(seconds);
  }

  freq(counter: number): void {
    this.byte(RDB_OPCODE.FREQ);
    this.byte(counter & 0xff);
  }

  /** RDB_OPCODE_EOF and the CRC-64 of everything before the trailer, little-endian */
  eof(): void {
    this.byte(RDB_OPCODE.EOF);
    this.cut();
    const t = Buffer.allocUnsafe(8);
    t.writeBigUInt64LE(this.crc.value(), 0);
    this.out.push(t);
    this.size += 8;
  }

  /** The chunks written since the last take (at least `min` bytes buffered, else nothing). */
  take(min = 0): Buffer[] {
    if (this.off + this.pendingOut() < min) return [];
    this.cut();
    return this.out.splice(0);
  }

  private pendingOut(): number {
    let n = 0;
    for (const b of this.out) n += b.length;
    return n;
  }
}
