/**
 * Numbers, sizes, times and key names as people read them (the text sink; CSV and JSON keep
 * raw values).
 */
import { escapeBytes, type EscapeMode } from './escape.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Bytes in binary units with 3 significant digits: `512 B`, `1.79 MiB`, `17.9 MiB`, `179 MiB`. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const neg = n < 0;
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  let text: string;
  if (u === 0) text = `${Math.round(v)} B`;
  else {
    // round first: 1023.9 KiB prints as 1.00 MiB, not 1024 KiB
    let digits = v < 10 ? 2 : v < 100 ? 1 : 0;
    let s = v.toFixed(digits);
    if (Number(s) >= 1024 && u < UNITS.length - 1) {
      v /= 1024;
      u++;
      digits = 2;
      s = v.toFixed(digits);
    }
    text = `${s} ${UNITS[u]}`;
  }
  return neg ? `-${text}` : text;
}

/** A signed size change: `+1.20 MiB`, `-512 B`, `0 B`. */
export function formatBytesDelta(n: number): string {
  return n > 0 ? `+${formatBytes(n)}` : formatBytes(n);
}

/** An integer with thousands separators: `1,234,567`. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const s = String(Math.trunc(Math.abs(n)));
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ',';
    out += s[i];
  }
  return n < 0 ? `-${out}` : out;
}

export function formatSignedCount(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : formatCount(n);
}

/** A fraction (0..1) as a percentage with one decimal: `12.3%`; `<0.1%` for tiny non-zero shares. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '-';
  const p = fraction * 100;
  if (p > 0 && p < 0.05) return '<0.1%';
  return `${p.toFixed(1)}%`;
}

/** A duration for ETAs and TTLs: `45s`, `3m05s`, `2h10m`, `4d03h`, `3y120d`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  const neg = ms < 0;
  let s = Math.round(Math.abs(ms) / 1000);
  let out: string;
  if (s < 60) out = `${s}s`;
  else if (s < 3600) out = `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  else if (s < 86400) {
    s = Math.round(s / 60);
    out = `${Math.floor(s / 60)}h${String(s % 60).padStart(2, '0')}m`;
  } else if (s < 365 * 86400) {
    s = Math.round(s / 3600);
    out = `${Math.floor(s / 24)}d${String(s % 24).padStart(2, '0')}h`;
  } else {
    const d = Math.round(s / 86400);
    out = `${Math.floor(d / 365)}y${d % 365}d`;
  }
  return neg ? `-${out}` : out;
}

/** Largest |ms| a Date can hold. */
const MAX_DATE_MS = 8.64e15;

const DAY_MS = 86_400_000;
/** The last day formatted, `YYYY-MM-DDT` (expiry times cluster: most keys hit the cache). */
let cachedDay = -1;
let cachedDayText = '';

function pad2(n: number): string {
  return n < 10 ? '0' + n : '' + n;
}

/** `YYYY-MM-DDT` of a day number since 1970-01-01 (days_from_civil's inverse, H. Hinnant). */
function dayText(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${pad2(m)}-${pad2(d)}T`;
}

/** The day of the last writeIsoTime, as bytes. */
let bytesDay = -1;
const bytesDayText = Buffer.alloc(11);

function put2(buf: Buffer, off: number, n: number): void {
  buf[off] = 48 + ((n / 10) | 0);
  buf[off + 1] = 48 + (n % 10);
}

/**
 * The bytes of the words a per-key export writes as they are (type and encoding names), or null
 * when `plain` says a word must go the slow way. One per field: rows come in runs of one type and
 * of one encoding, so the last word skips the map lookup.
 */
export class WordBytes {
  private readonly known = new Map<string, Buffer | null>();
  private last = '';
  private lastBytes: Buffer | null = null;

  constructor(private readonly plain: (w: string) => boolean) {}

  of(w: string): Buffer | null {
    if (w === this.last && this.known.has(w)) return this.lastBytes;
    let b = this.known.get(w);
    if (b === undefined) {
      b = /^[\x20-\x7e]*$/.test(w) && this.plain(w) ? Buffer.from(w, 'latin1') : null;
      if (this.known.size < 1024) this.known.set(w, b);
    }
    this.last = w;
    this.lastBytes = b;
    return b;
  }
}

/** Decimal digits of a non-negative integer below 2^31 into buf at off; returns the new offset. */
function writeSmallUint(buf: Buffer, off: number, v: number): number {
  const digits =
    v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
  let end = off + digits;
  for (let x = v; end > off; x = (x / 10) | 0) buf[--end] = 48 + (x % 10);
  return off + digits;
}

/**
 * Decimal digits of a non-negative integer below 2^53 into buf at off; returns the new offset.
 * For the per-key exports (CSV, the Parquet wire), where it runs for every number of every key:
 * small-integer arithmetic only (a 13-digit expiry in ms is written as two halves below 2^31).
 */
export function writeUint(buf: Buffer, off: number, v: number): number {
  if (v < 0x80000000) return writeSmallUint(buf, off, v);
  const hi = Math.floor(v / 1e8);
  let lo = v - hi * 1e8;
  off = writeSmallUint(buf, off, hi);
  for (let end = off + 8; end > off; lo = (lo / 10) | 0) buf[--end] = 48 + (lo % 10);
  return off + 8;
}

/**
 * isoTime(ms) written into `buf` at `off` as ASCII (24 bytes for years 1970-9999); returns the
 * new offset. For the CSV export, where it runs for every key with a TTL.
 */
export function writeIsoTime(buf: Buffer, off: number, ms: number): number {
  if (ms < 0 || ms > FAST_ISO_MAX || !Number.isInteger(ms)) return off + buf.write(isoTime(ms), off, 'latin1');
  const days = Math.floor(ms / DAY_MS);
  if (days !== bytesDay) {
    bytesDay = days;
    bytesDayText.write(dayText(days), 0, 'latin1');
  }
  for (let i = 0; i < 11; i++) buf[off + i] = bytesDayText[i]!;
  let rem = ms - days * DAY_MS;
  const h = (rem / 3_600_000) | 0;
  rem -= h * 3_600_000;
  const mi = (rem / 60_000) | 0;
  rem -= mi * 60_000;
  const sec = (rem / 1000) | 0;
  const milli = rem - sec * 1000;
  put2(buf, off + 11, h);
  buf[off + 13] = 0x3a;
  put2(buf, off + 14, mi);
  buf[off + 16] = 0x3a;
  put2(buf, off + 17, sec);
  buf[off + 19] = 0x2e;
  buf[off + 20] = 48 + ((milli / 100) | 0);
  put2(buf, off + 21, milli % 100);
  buf[off + 23] = 0x5a;
  return off + 24;
}

/** Years 1970-9999: what Date#toISOString writes with 4 year digits. */
const FAST_ISO_MAX = 253402300799999;

/**
 * ISO-8601 UTC (`2030-01-06T19:24:55.892Z`) as Date#toISOString writes it; '' for no expiry
 * (-1); digits beyond Date's range. Computed without a Date per call (CSV export of millions of keys).
 */
export function isoTime(ms: number): string {
  if (ms < 0) return '';
  if (!(ms <= MAX_DATE_MS)) return String(ms);
  if (ms > FAST_ISO_MAX || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY_MS);
  if (days !== cachedDay) {
    cachedDay = days;
    cachedDayText = dayText(days);
  }
  let rem = ms - days * DAY_MS;
  const h = Math.floor(rem / 3_600_000);
  rem -= h * 3_600_000;
  const mi = Math.floor(rem / 60_000);
  rem -= mi * 60_000;
  const sec = Math.floor(rem / 1000);
  const milli = rem - sec * 1000;
  return cachedDayText + pad2(h) + ':' + pad2(mi) + ':' + pad2(sec) + '.' + (milli < 10 ? '00' : milli < 100 ? '0' : '') + milli + 'Z';
}

/**
 * Characters never sent raw to a terminal: C0 controls, DEL, C1 controls, and the bidi
 * overrides and isolates that could make a key look like another.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_FOR_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text (already decoded) made safe for a terminal: every control character written as the
 * `\xNN` escapes of its UTF-8 bytes (so it can never move the cursor or change colours). The
 * one terminal escaping: the text report and the TUI both use it.
 */
export function safeText(s: string): string {
  UNSAFE_FOR_TERMINAL.lastIndex = 0;
  if (!UNSAFE_FOR_TERMINAL.test(s)) return s;
  UNSAFE_FOR_TERMINAL.lastIndex = 0;
  return s.replace(UNSAFE_FOR_TERMINAL, (c) => Array.from(Buffer.from(c, 'utf8'), (b) => '\\x' + b.toString(16).padStart(2, '0')).join(''));
}

/** A byte string for a terminal: escaped in `mode` (see escape.ts), then made safe (safeText). */
export function terminalText(buf: Buffer, mode: EscapeMode): string {
  return safeText(escapeBytes(buf, mode));
}
