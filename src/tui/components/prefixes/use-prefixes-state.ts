/**
 * Prefixes: where in the prefix tree we are (the path of segments from the root), the sort of
 * the children, and the table position, with the positions of the levels above kept so that
 * going up lands on the prefix we came from.
 */
import { useCallback, useMemo } from 'react';
import { useSyncReducer } from '../../hooks/use-sync-reducer.js';
import type { PrefixNode, PrefixStats, PrefixTree } from '../../../memory/prefix-tree.js';
import { clampTable, INITIAL_TABLE_STATE, tableReducer, type TableAction, type TableShape, type TableState } from '../table/index.js';

export type PrefixSort = 'bytes' | 'keys' | 'name';
export const PREFIX_SORTS: readonly PrefixSort[] = ['bytes', 'keys', 'name'];

export interface PrefixesState {
  /** segments (children map keys) from the root */
  path: string[];
  /** table positions of the levels above, parallel to path */
  above: TableState[];
  sort: PrefixSort;
  reversed: boolean;
  table: TableState;
}

export type PrefixesAction =
  | { type: 'descend'; segment: string }
  | { type: 'up' }
  | { type: 'cycle-sort' }
  | { type: 'reverse' }
  | { type: 'root' }
  | { type: 'table'; action: TableAction };

export const INITIAL_PREFIXES_STATE: PrefixesState = { path: [], above: [], sort: 'bytes', reversed: false, table: INITIAL_TABLE_STATE };

export function prefixesReducer(s: PrefixesState, a: PrefixesAction & { shape: TableShape }): PrefixesState {
  switch (a.type) {
    case 'descend':
      return { ...s, path: [...s.path, a.segment], above: [...s.above, clampTable(s.table, a.shape)], table: INITIAL_TABLE_STATE };
    case 'up':
      if (s.path.length === 0) return s;
      return { ...s, path: s.path.slice(0, -1), above: s.above.slice(0, -1), table: s.above[s.above.length - 1] ?? INITIAL_TABLE_STATE };
    case 'cycle-sort':
      return { ...s, sort: PREFIX_SORTS[(PREFIX_SORTS.indexOf(s.sort) + 1) % PREFIX_SORTS.length]!, reversed: false, table: INITIAL_TABLE_STATE };
    case 'reverse':
      return { ...s, reversed: !s.reversed, table: INITIAL_TABLE_STATE };
    case 'root':
      return { ...s, path: [], above: [], table: INITIAL_TABLE_STATE };
    case 'table':
      return { ...s, table: tableReducer(s.table, { ...a.action, shape: a.shape }) };
  }
}

export interface PrefixRow extends PrefixStats {
  kind: 'prefix' | 'other' | 'rest';
  /** children map key (kind 'prefix') */
  segment: string;
  node: PrefixNode | null;
}

/** The node at a path, and how much of the path exists (a new filter may lack a level). */
export function nodeAt(tree: PrefixTree, path: readonly string[]): { node: PrefixNode; depth: number } {
  let node = tree.root;
  let depth = 0;
  for (const seg of path) {
    const c = node.children.get(seg);
    if (!c) break;
    node = c;
    depth++;
  }
  return { node, depth };
}

function sub(a: PrefixStats, b: PrefixStats): PrefixStats {
  return { keys: a.keys - b.keys, bytes: a.bytes - b.bytes, keysNoTtl: a.keysNoTtl - b.keysNoTtl, bytesNoTtl: a.bytesNoTtl - b.bytesNoTtl };
}

/** A level's rows: its children in the sort's order, then the keys not under any child. */
export function levelRows(node: PrefixNode, sort: PrefixSort, reversed: boolean): PrefixRow[] {
  const rows: PrefixRow[] = [];
  let rest: PrefixStats = { keys: node.keys, bytes: node.bytes, keysNoTtl: node.keysNoTtl, bytesNoTtl: node.bytesNoTtl };
  for (const [segment, c] of node.children) {
    rows.push({ kind: 'prefix', segment, node: c, keys: c.keys, bytes: c.bytes, keysNoTtl: c.keysNoTtl, bytesNoTtl: c.bytesNoTtl });
    rest = sub(rest, c);
  }
  const cmp =
    sort === 'name'
      ? (a: PrefixRow, b: PrefixRow) => Buffer.compare(a.node!.prefix, b.node!.prefix)
      : sort === 'keys'
        ? (a: PrefixRow, b: PrefixRow) => b.keys - a.keys || b.bytes - a.bytes
        : (a: PrefixRow, b: PrefixRow) => b.bytes - a.bytes || b.keys - a.keys;
  rows.sort(cmp);
  if (reversed) rows.reverse();
  if (node.other.keys > 0) {
    rows.push({ kind: 'other', segment: '', node: null, ...node.other });
    rest = sub(rest, node.other);
  }
  if (rest.keys > 0) rows.push({ kind: 'rest', segment: '', node: null, ...rest });
  return rows;
}

export interface PrefixesHandle {
  state: PrefixesState;
  table: TableState;
  shape: TableShape;
  node: PrefixNode;
  /** the path that exists in this tree */
  path: string[];
  rows: PrefixRow[];
  /** the selected row in the latest state (keys not rendered yet included) */
  selectedNow: () => PrefixRow | undefined;
  dispatch: (a: PrefixesAction) => void;
}

export function usePrefixesState(tree: PrefixTree, pageSize: number): PrefixesHandle {
  const [raw, dispatchRaw, get] = useSyncReducer(prefixesReducer, INITIAL_PREFIXES_STATE);
  const { node, depth } = nodeAt(tree, raw.path);
  const rows = useMemo(() => levelRows(node, raw.sort, raw.reversed), [node, raw.sort, raw.reversed]);
  const total = rows.length;
  const shape: TableShape = { total, pageSize };
  const dispatch = useCallback((a: PrefixesAction) => dispatchRaw({ ...a, shape: { total, pageSize } }), [dispatchRaw, total, pageSize]);
  const table = depth === raw.path.length ? clampTable(raw.table, shape) : clampTable(INITIAL_TABLE_STATE, shape);
  const selectedNow = useCallback(() => {
    const s = get();
    const at = nodeAt(tree, s.path);
    const level = at.node === node && s.sort === raw.sort && s.reversed === raw.reversed ? rows : levelRows(at.node, s.sort, s.reversed);
    const t = at.depth === s.path.length ? s.table : INITIAL_TABLE_STATE;
    return level[clampTable(t, { total: level.length, pageSize }).cursor];
  }, [get, tree, node, rows, raw.sort, raw.reversed, pageSize]);
  return { state: raw, table, shape, node, path: raw.path.slice(0, depth), rows, selectedNow, dispatch };
}
