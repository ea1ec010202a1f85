/**
 * Skiplist node sizes (t_zset.c). A node is zskiplistNode (ele, score, backward) plus one
 * zskiplistLevel (forward, span) per level; zslRandomLevel draws levels with P = 0.25, capped at
 * ZSKIPLIST_MAXLEVEL. Levels are random per load, so a node is counted at its expected
 * allocator size over that distribution (deterministic, never a sample).
 */
import type { Features } from './sizes.js';
import { ZSL_LEVEL, ZSL_NODE_BASE } from './sizes.js';

/** ZSKIPLIST_P (server.h) */
const ZSKIPLIST_P = 0.25;

const expected = new Map<string, number>();

/** Expected zmalloc_size of one skiplist node on this build. */
export function expectedNodeSize(f: Features): number {
  const id = `${f.zslMaxLevel}/${f.quantum}`;
  let e = expected.get(id);
  if (e === undefined) {
    e = 0;
    const max = f.zslMaxLevel;
    let pLevel = 1 - ZSKIPLIST_P; // P(level = 1)
    for (let level = 1; level <= max; level++) {
      // every draw beyond the cap lands on the cap
      const p = level === max ? ZSKIPLIST_P ** (max - 1) : pLevel;
      e += p * f.malloc(ZSL_NODE_BASE + ZSL_LEVEL * level);
      pLevel *= ZSKIPLIST_P;
    }
    expected.set(id, e);
  }
  return e;
}

/** zmalloc_size of the header node, created with every level (zslCreate). */
export function headerNodeSize(f: Features): number {
  return f.malloc(ZSL_NODE_BASE + ZSL_LEVEL * f.zslMaxLevel);
}
