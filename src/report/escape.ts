/**
 * Byte strings (keys, values, members) as text, for JSON, CSV and the terminal.
 *
 * Modes (the names redis-rdb-tools uses, see docs/cli.md):
 * - `utf8`   well-formed UTF-8 as text; every other byte as `\xNN`; a backslash as `\\`
 * - `print`  printable ASCII (0x20-0x7e) as is; every other byte as `\xNN`; a backslash as `\\`
 * - `raw`    each byte as the code point U+0000-U+00FF (latin1 decoding)
 * - `base64` standard base64 with padding
 *
 * `\xNN` uses two lowercase hex digits. In `utf8` and `print` the only backslashes in the result
 * start `\\` or `\xNN`, so the bytes are recovered exactly by `unescapeBytes`.
 */
import { isUtf8 } from 'node:buffer';

export type EscapeMode = 'utf8' | 'print' | 'raw' | 'base64';

export const ESCAPE_MODES: readonly EscapeMode[] = ['utf8', 'print', 'raw', 'base64'];

export const DEFAULT_ESCAPE: EscapeMode = 'utf8';

const BACKSLASH = 0x5c;

/** `\xNN` for every byte value. */
const HEX: string[] = Array.from({ length: 256 }, (_, i) => '\\x' + i.toString(16).padStart(2, '0'));

/** `print` mode: each byte's text. */
const PRINT: string[] = Array.from({ length: 256 }, (_, i) =>
  i === BACKSLASH ? '\\\\' : i >= 0x20 && i < 0x7f ? String.fromCharCode(i) : HEX[i]!,
);

/** Whether every byte is ASCII other than a backslash (the common case: no work needed). */
function plainAscii(buf: Uint8Array, printableOnly: boolean): boolean {
  const lo = printableOnly ? 0x20 : 0;
  const hi = printableOnly ? 0x7f : 0x80;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (c < lo || c >= hi || c === BACKSLASH) return false;
  }
  return true;
}

/**
 * Length of the well-formed UTF-8 sequence starting at `i` (Unicode Table 3-7: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0 when the byte at `i` does not start one.
 */
function utf8SequenceLength(buf: Uint8Array, i: number): number {
  const n = buf.length;
  const b0 = buf[i]!;
  if (b0 < 0x80) return 1;
  if (b0 < 0xc2) return 0;
  const cont = (j: number, lo = 0x80, hi = 0xbf): boolean => j < n && buf[j]! >= lo && buf[j]! <= hi;
  if (b0 <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

function escapeUtf8(buf: Buffer): string {
  if (plainAscii(buf, false)) return buf.toString('latin1');
  if (!buf.includes(BACKSLASH) && isUtf8(buf)) return buf.toString('utf8');
  let out = '';
  let runStart = 0;
  let i = 0;
  while (i < buf.length) {
    const c = buf[i]!;
    const len = c === BACKSLASH ? 0 : utf8SequenceLength(buf, i);
    if (len > 0) {
      i += len;
      continue;
    }
    if (i > runStart) out += buf.toString('utf8', runStart, i);
    out += c === BACKSLASH ? '\\\\' : HEX[c]!;
    i++;
    runStart = i;
  }
  if (runStart < buf.length) out += buf.toString('utf8', runStart, buf.length);
  return out;
}

function escapePrint(buf: Buffer): string {
  if (plainAscii(buf, true)) return buf.toString('latin1');
  let out = '';
  for (let i = 0; i < buf.length; i++) out += PRINT[buf[i]!]!;
  return out;
}

/** A byte string as text in the given mode (see the module comment). */
export function escapeBytes(buf: Buffer, mode: EscapeMode): string {
  switch (mode) {
    case 'utf8':
      return escapeUtf8(buf);
    case 'print':
      return escapePrint(buf);
    case 'raw':
      return buf.toString('latin1');
    case 'base64':
      return buf.toString('base64');
  }
}

/**
 * The bytes behind a string written by `escapeBytes` in the same mode. Throws on text that
 * mode cannot produce (a lone backslash, `\x` without two hex digits, raw chars above U+00FF).
 */
export function unescapeBytes(text: string, mode: EscapeMode): Buffer {
  switch (mode) {
    case 'raw': {
      for (let i = 0; i < text.length; i++) {
        if (text.charCodeAt(i) > 0xff) throw new Error(`raw text holds U+${text.charCodeAt(i).toString(16)} at ${i}`);
      }
      return Buffer.from(text, 'latin1');
    }
    case 'base64':
      return Buffer.from(text, 'base64');
    case 'utf8':
    case 'print': {
      const parts: Buffer[] = [];
      let runStart = 0;
      for (let i = 0; i < text.length; i++) {
        if (text.charCodeAt(i) !== BACKSLASH) continue;
        if (i > runStart) parts.push(Buffer.from(text.slice(runStart, i), 'utf8'));
        const next = text[i + 1];
        if (next === '\\') {
          parts.push(Buffer.of(BACKSLASH));
          i += 1;
        } else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
          parts.push(Buffer.of(parseInt(text.slice(i + 2, i + 4), 16)));
          i += 3;
        } else {
          throw new Error(`bad escape at ${i}: ${JSON.stringify(text.slice(i, i + 4))}`);
        }
        runStart = i + 1;
      }
      if (runStart < text.length) parts.push(Buffer.from(text.slice(runStart), 'utf8'));
      return Buffer.concat(parts);
    }
  }
}

/**
 * First characters that make a spreadsheet read a cell as a formula: the set csv-stringify's
 * `escape_formulas` guards (= + - @, tab, CR and their full-width forms). Every rdblens
 * CSV and workbook puts a `'` before a string that starts with one.
 */
export const FORMULA_TRIGGERS: ReadonlySet<string> = new Set(['-', '=', '+', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/** `s` with a `'` in front when its first character is a formula trigger (as csv-stringify's escape_formulas). */
export function guardFormula(s: string): string {
  return s.length > 0 && FORMULA_TRIGGERS.has(s[0]!) ? "'" + s : s;
}

/**
 * Characters XML 1.0 cannot carry (C0 controls but tab, LF, CR; U+FFFE, U+FFFF; lone
 * surrogates) and, with `controls`, every C0 control and DEL: each as `\xNN` per UTF-8 byte.
 */
const XML_UNSAFE = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const CONTROLS = /[\x00-\x1f\x7f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function hexOf(c: string): string {
  // a lone surrogate has no UTF-8 form: written as the code unit
  const code = c.charCodeAt(0);
  if (code >= 0xd800 && code <= 0xdfff) return `\\u${code.toString(16)}`;
  return Array.from(Buffer.from(c, 'utf8'), (b) => HEX[b]!).join('');
}

/**
 * Text safe in a spreadsheet cell: control characters as `\xNN` (all of them with
 * `controls`, the default; with false only those XML cannot carry, so a line break stays),
 * then the formula guard. For cells holding key names, prefixes and other dump data.
 */
export function cellText(s: string, controls = true): string {
  const re = controls ? CONTROLS : XML_UNSAFE;
  re.lastIndex = 0;
  const safe = re.test(s) ? ((re.lastIndex = 0), s.replace(re, hexOf)) : s;
  return guardFormula(safe);
}
