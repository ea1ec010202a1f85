/**
 * The one error type the RDB parser throws: a stable code plus where it happened.
 */

export type RdbErrorCode =
  | 'bad_magic'
  | 'unsupported_version'
  | 'unexpected_eof'
  | 'length_exceeds_input'
  | 'unknown_type'
  | 'unknown_opcode'
  | 'checksum_mismatch'
  | 'corrupt_value'
  | 'unsupported_value'
  /** load-time checks under `strict` (integrity.ts) */
  | 'duplicate_key'
  | 'empty_key';

export interface RdbErrorContext {
  /** Path of the dump, when reading a file. */
  file?: string;
  /** Absolute byte offset in the input where the problem was found. */
  offset: number;
  /** The key being read, if any (raw bytes). */
  key?: Buffer;
  /** The value type byte of that key. */
  rdbType?: number;
  /** Keys completely read before the error. */
  keysRead?: number;
}

export class RdbError extends Error {
  override readonly name = 'RdbError';
  readonly code: RdbErrorCode;
  readonly reason: string;
  readonly file: string | undefined;
  readonly offset: number;
  readonly key: Buffer | undefined;
  readonly rdbType: number | undefined;
  keysRead: number | undefined;

  constructor(code: RdbErrorCode, reason: string, ctx: RdbErrorContext) {
    super(formatMessage(code, reason, ctx));
    this.code = code;
    this.reason = reason;
    this.file = ctx.file;
    this.offset = ctx.offset;
    this.key = ctx.key;
    this.rdbType = ctx.rdbType;
    this.keysRead = ctx.keysRead;
  }
}

/** A key name safe to print on one line: printable ASCII kept, everything else \xNN. */
export function printableKey(key: Buffer, max = 120): string {
  let out = '';
  const n = Math.min(key.length, max);
  for (let i = 0; i < n; i++) {
    const c = key[i]!;
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) out += String.fromCharCode(c);
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return key.length > max ? out + '...' : out;
}

function formatMessage(code: RdbErrorCode, reason: string, ctx: RdbErrorContext): string {
  const where = `${ctx.file ?? '<input>'}: ${code} at byte ${ctx.offset}`;
  const key = ctx.key ? ` (key "${printableKey(ctx.key)}")` : '';
  return `${where}${key}: ${reason}`;
}
