/**
 * Numbers, sizes, durations and key names as the explorer shows them. Everything that comes from
 * the dump (keys, members, values) goes through `terminalText`: escaped like the other outputs,
 * and never a control character that could move the cursor or change colours.
 */
import type { EscapeMode } from '../../report/escape.js';
import { formatDuration, terminalText } from '../../report/format.js';
export { formatBytes, formatCount, formatDuration, formatPercent, safeText, terminalText } from '../../report/format.js';

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

/** At most `max` bytes of `buf`, as terminal text, with `…` when cut. */
export function previewBytes(buf: Buffer, mode: EscapeMode, max: number): string {
  if (buf.length <= max) return terminalText(buf, mode);
  return terminalText(buf.subarray(0, max), mode) + '…';
}
