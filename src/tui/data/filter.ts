/**
 * The explorer's key filter: a Redis glob on the key bytes (as SCAN MATCH, src/engine/glob.ts),
 * or a JavaScript regular expression written `/.../flags` on the key decoded as UTF-8 (as
 * `--regex`). Applying it is one pass over the keyspace, done in time slices so that the screen
 * keeps answering keys; the pass also rebuilds what the key views show for the matches: the
 * prefix tree and the TTL distribution.
 */
import { compileGlob } from '../../rdb/glob.js';
import { PrefixTree, type PrefixOptions } from '../../memory/prefix-tree.js';
import { ExpiryTally } from './expiry.js';
import type { KeyIndex, SortField } from './key-index.js';

export interface KeyPattern {
  /** what the user typed */
  text: string;
  kind: 'glob' | 'regex';
  test: (key: Buffer) => boolean;
}

/** Parse filter text: `/re/flags` is a regex, anything else a glob. Throws with a message. */
export function parsePattern(text: string): KeyPattern {
  const re = /^\/(.*)\/([a-z]*)$/s.exec(text);
  if (re) {
    let regex: RegExp;
    try {
      regex = new RegExp(re[1]!, re[2]!.replace(/[gy]/g, ''));
    } catch (err) {
      const why = err instanceof Error ? err.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(err);
      throw new Error(`not a valid regular expression: ${why}`);
    }
    return { text, kind: 'regex', test: (key) => regex.test(key.toString('utf8')) };
  }
  const glob = compileGlob(Buffer.from(text, 'utf8'));
  return { text, kind: 'glob', test: glob };
}

/** Escape a byte string's glob metacharacters so that it matches itself (for `prefix*`). */
export function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => '\\' + c);
}

/** The keys that match, and what the key views show for them. */
export class FilterResult {
  private readonly orders = new Map<SortField, Uint32Array>();

  constructor(
    readonly pattern: KeyPattern,
    private readonly index: KeyIndex,
    /** 1 for the global ids that match */
    readonly mask: Uint8Array,
    readonly keys: number,
    readonly bytes: number,
    readonly prefixes: PrefixTree,
    readonly expiry: ExpiryTally,
  ) {}

  /** The matching ids in the field's order (computed on first use: one pass over the order). */
  order(field: SortField): Uint32Array {
    let o = this.orders.get(field);
    if (!o) {
      const all = this.index.order(field);
      o = new Uint32Array(this.keys);
      const mask = this.mask;
      let k = 0;
      for (let i = 0; i < all.length; i++) {
        const g = all[i]!;
        if (mask[g] === 1) o[k++] = g;
      }
      this.orders.set(field, o);
    }
    return o;
  }
}

export interface FilterRun {
  promise: Promise<FilterResult | null>;
  /** stop the pass; the promise resolves to null */
  cancel(): void;
}

/**
 * Apply a pattern to every key, yielding to the event loop every `sliceMs` of work; `onProgress`
 * gets the fraction done. Resolves to null when cancelled.
 */
export function runFilter(
  index: KeyIndex,
  pattern: KeyPattern,
  opts: { now: number; prefix: Partial<PrefixOptions>; sliceMs?: number; onProgress?: (fraction: number) => void },
): FilterRun {
  let cancelled = false;
  const sliceMs = opts.sliceMs ?? 8;
  const run = async (): Promise<FilterResult | null> => {
    // start after the frame that shows the pass running
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (cancelled) return null;
    const mask = new Uint8Array(index.limit);
    const tree = new PrefixTree(opts.prefix);
    const expiry = new ExpiryTally(opts.now);
    let keys = 0;
    let bytes = 0;
    let sliceStart = performance.now();
    const completed = await index.forEachLive(
      (g) => {
        const key = index.keyOf(g);
        if (!pattern.test(key)) return;
        mask[g] = 1;
        keys++;
        const m = Math.max(0, index.memoryOf(g));
        bytes += m;
        const exp = index.expireOf(g);
        expiry.add(exp, m);
        tree.add(key, m, exp >= 0);
      },
      async (done) => {
        if (cancelled) return false;
        if (performance.now() - sliceStart < sliceMs) return true;
        opts.onProgress?.(done / Math.max(1, index.limit));
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
        return !cancelled;
      },
    );
    if (!completed || cancelled) return null;
    return new FilterResult(pattern, index, mask, keys, bytes, tree, expiry);
  };
  return {
    promise: run(),
    cancel: () => {
      cancelled = true;
    },
  };
}

/** Keys that start with these bytes (`t` on a prefix): shown as the glob that matches them. */
export function prefixPattern(prefix: Buffer, display: string): KeyPattern {
  const p = Buffer.from(prefix);
  return {
    text: globEscape(display) + '*',
    kind: 'glob',
    test: (key) => key.length >= p.length && p.equals(key.subarray(0, p.length)),
  };
}
