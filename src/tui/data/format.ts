/**
 * Numbers, sizes, durations and key names as the explorer shows them. Everything that comes from
 * the dump (keys, members, values) goes through `terminalText`: escaped like the other outputs,
 * and never a control character that could move the cursor or change colours.
 */
import { escapeBytes, type EscapeMode } from '../../report/escape.js';

import { formatDuration } from '../../report/format.js';
export { formatBytes, formatCount, formatDuration, formatPercent } from '../../report/format.js';

/** Largest |ms| a Date can hold. */
const MAX_DATE_MS = 8.64e15;

/** ISO-8601 UTC without milliseconds; '' for no expiry. */
export function isoTime(ms: number): string {
  if (ms < 0) return '';
  if (!(ms <= MAX_DATE_MS)) return String(ms);
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** A TTL as the table shows it: `-` without one, `expired`, or the time left. */
export function formatTtl(expireAt: number, now: number): string {
  if (expireAt < 0) return '-';
  const left = expireAt - now;
  return left <= 0 ? 'expired' : formatDuration(left);
}

/**
 * Characters never sent raw to a terminal: C0 controls, DEL, C1 controls, and the bidi
 * overrides and isolates that could make a key look like another.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_FOR_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text (already decoded) made safe for the terminal: controls become `\xNN` of their UTF-8 bytes. */
export function safeText(s: string): string {
  UNSAFE_FOR_TERMINAL.lastIndex = 0;
  if (!UNSAFE_FOR_TERMINAL.test(s)) return s;
  UNSAFE_FOR_TERMINAL.lastIndex = 0;
  return s.replace(UNSAFE_FOR_TERMINAL, (c) => Array.from(Buffer.from(c, 'utf8'), (b) => '\\x' + b.toString(16).padStart(2, '0')).join(''));
}

/** A byte string from the dump as terminal text, escaped in `mode` (see src/report/escape.ts). */
export function terminalText(buf: Buffer, mode: EscapeMode): string {
  return safeText(escapeBytes(buf, mode));
}

/** At most `max` bytes of `buf`, as terminal text, with `…` when cut. */
export function previewBytes(buf: Buffer, mode: EscapeMode, max: number): string {
  if (buf.length <= max) return terminalText(buf, mode);
  return terminalText(buf.subarray(0, max), mode) + '…';
}
