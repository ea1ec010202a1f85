/**
 * Which keys a report covers: by db, type, glob, regex, size and expiry.
 */
import type { ValueType } from '../rdb/constants.js';
import { compileGlob } from '../rdb/glob.js';

export type ExpiryFilter =
  | { kind: 'none' }
  | { kind: 'any' }
  | { kind: 'expired'; now: number }
  | { kind: 'before'; at: number }
  | { kind: 'after'; at: number };

export interface KeyFilterSpec {
  dbs?: number[];
  types?: ValueType[];
  /** Redis glob on the key bytes (as SCAN MATCH) */
  match?: Buffer;
  /** JavaScript regex on the key decoded as UTF-8 (invalid bytes as U+FFFD) */
  regex?: RegExp;
  minBytes?: number;
  maxBytes?: number;
  expiry?: ExpiryFilter;
}

/** The part decided before sizing (cheap): db, type, name, expiry. */
export type PreFilter = (db: number, key: Buffer, type: ValueType, expireAt: number) => boolean;
/** The part decided after sizing. */
export type SizeFilter = (bytes: number) => boolean;

export function compileFilter(spec: KeyFilterSpec = {}): { pre: PreFilter; size: SizeFilter; active: boolean } {
  const dbs = spec.dbs ? new Set(spec.dbs) : null;
  const types = spec.types ? new Set(spec.types) : null;
  const glob = spec.match ? compileGlob(spec.match) : null;
  const regex = spec.regex ?? null;
  const exp = spec.expiry ?? null;
  const pre: PreFilter = (db, key, type, expireAt) => {
    if (dbs && !dbs.has(db)) return false;
    if (types && !types.has(type)) return false;
    if (glob && !glob(key)) return false;
    if (regex && !regex.test(key.toString('utf8'))) return false;
    if (exp) {
      switch (exp.kind) {
        case 'none':
          if (expireAt >= 0) return false;
          break;
        case 'any':
          if (expireAt < 0) return false;
          break;
        case 'expired':
          if (expireAt < 0 || expireAt > exp.now) return false;
          break;
        case 'before':
          if (expireAt < 0 || expireAt >= exp.at) return false;
          break;
        case 'after':
          if (expireAt < 0 || expireAt <= exp.at) return false;
          break;
      }
    }
    return true;
  };
  const min = spec.minBytes ?? 0;
  const max = spec.maxBytes ?? Infinity;
  const size: SizeFilter = (bytes) => bytes >= min && bytes <= max;
  const active = !!(dbs || types || glob || regex || exp || spec.minBytes !== undefined || spec.maxBytes !== undefined);
  return { pre, size, active };
}

/**
 * `--expiry none|any|expired|before=<time>|after=<time>`; times are ISO-8601 or ms since the
 * epoch. Throws a plain Error with a usable message on bad input.
 */
export function parseExpiryFilter(text: string, now: number): ExpiryFilter {
  if (text === 'none' || text === 'any') return { kind: text };
  if (text === 'expired') return { kind: 'expired', now };
  const m = /^(before|after)=(.+)$/.exec(text);
  if (!m) throw new Error(`--expiry takes none, any, expired, before=<time> or after=<time>, not "${text}"`);
  const at = /^\d+$/.test(m[2]!) ? Number(m[2]) : Date.parse(m[2]!);
  if (!Number.isFinite(at)) throw new Error(`--expiry ${m[1]}=: "${m[2]}" is not a time (ISO-8601 or ms since the epoch)`);
  return { kind: m[1] as 'before' | 'after', at };
}
