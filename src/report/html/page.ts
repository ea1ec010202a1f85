/**
 * HTML sink: the report (or a diff) as one self-contained page. Apache ECharts' minified build
 * (from the echarts package) and the page's script and styles are inlined; the data is the
 * document `report --json` writes (reportDocument), plus the prefix tree aggregated for the
 * treemap (at most TREE_MAX_NODES nodes: the page stays small however many keys the dump has).
 * A Content-Security-Policy forbids every network request at view time.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { PrefixNode, PrefixStats } from '../../memory/prefix-tree.js';
import { escapeBytes, type EscapeMode } from '../escape.js';
import { tableJson, type JsonValue } from '../json.js';
import type { ReportModel } from '../model.js';
import { reportDocument, type ReportInput } from '../report.js';
import { filesTable, sortedChildren } from '../rows.js';
import { PAGE_SCRIPT, PAGE_STYLE } from './assets.js';
import { htmlText, inlineScript, inlineStyle, scriptJson } from './inline.js';

/** Nodes of the prefix tree embedded at most, and children per node (the rest folded). */
export const TREE_MAX_NODES = 3000;
export const TREE_MAX_CHILDREN = 40;

/**
 * A treemap node: `n` the prefix's last segment (the whole prefix is the path's segments
 * joined), `k`/`b` keys and bytes, `u`/`t` keys and bytes without a TTL, `c` children,
 * `x` set on nodes that are no prefix: 1 the keys that end at the parent, 2 folded prefixes.
 */
export interface TreeNode {
  n: string;
  k: number;
  b: number;
  u: number;
  t: number;
  c?: TreeNode[];
  x?: 1 | 2;
}

function stats(n: string, s: PrefixStats, x?: 1 | 2): TreeNode {
  return { n, k: s.keys, b: s.bytes, u: s.keysNoTtl, t: s.bytesNoTtl, ...(x ? { x } : {}) };
}

/**
 * The prefix tree for the treemap, breadth first (upper levels before deeper ones) within
 * `maxNodes`; a node's children sum to the node: what is left is one `x: 2` node for the
 * prefixes not kept and one `x: 1` node for the keys that end at the node.
 */
export function treeData(m: ReportModel, mode: EscapeMode, maxNodes = TREE_MAX_NODES, maxChildren = TREE_MAX_CHILDREN): TreeNode {
  const root = m.prefixes.root;
  const top = stats('(all keys)', root);
  let budget = maxNodes;
  const queue: Array<[PrefixNode, TreeNode]> = [[root, top]];
  for (let qi = 0; qi < queue.length; qi++) {
    const [src, dst] = queue[qi]!;
    const kids = sortedChildren(src);
    if (kids.length === 0) continue;
    const take = Math.max(0, Math.min(kids.length, maxChildren, budget));
    const children: TreeNode[] = [];
    const rest: PrefixStats = { keys: src.other.keys, bytes: src.other.bytes, keysNoTtl: src.other.keysNoTtl, bytesNoTtl: src.other.bytesNoTtl };
    const own: PrefixStats = { keys: src.keys, bytes: src.bytes, keysNoTtl: src.keysNoTtl, bytesNoTtl: src.bytesNoTtl };
    kids.forEach((kid, i) => {
      for (const f of ['keys', 'bytes', 'keysNoTtl', 'bytesNoTtl'] as const) own[f] -= kid[f];
      if (i < take) {
        const d = stats(escapeBytes(kid.prefix.subarray(src.prefix.length), mode), kid);
        children.push(d);
        queue.push([kid, d]);
      } else for (const f of ['keys', 'bytes', 'keysNoTtl', 'bytesNoTtl'] as const) rest[f] += kid[f];
    });
    budget -= take;
    for (const f of ['keys', 'bytes', 'keysNoTtl', 'bytesNoTtl'] as const) own[f] -= src.other[f];
    const folded = kids.length - take;
    if (rest.keys > 0) children.push(stats(folded > 0 ? `(${folded} more prefixes)` : '(other prefixes)', rest, 2));
    if (own.keys > 0) children.push(stats(src === root ? '(no prefix)' : '(keys ending here)', own, 1));
    dst.c = children;
  }
  return top;
}

export interface PageData {
  kind: 'report' | 'diff';
  title: string;
  /** report: reportDocument; diff: the document `diff --json` writes */
  doc: Record<string, JsonValue>;
  /** report: per dump (the text report's "Per file" table) */
  shards?: JsonValue;
  tree?: TreeNode;
}

let echartsCode: string | null = null;

/** ECharts' minified browser build, from the installed package. */
export function echartsSource(): string {
  if (echartsCode === null) {
    const file = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
    echartsCode = inlineScript('echarts.min.js', readFileSync(file, 'utf8'));
  }
  return echartsCode;
}

/** No request of any kind leaves the page: scripts and styles inline, images only as data. */
export const PAGE_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:";

/** The page for `data`. */
export function renderPage(data: PageData): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${htmlText(PAGE_CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${htmlText(data.title)}</title>`,
    `<style>${inlineStyle(PAGE_STYLE)}</style>`,
    '</head><body>',
    '<noscript>This report needs JavaScript (it is all inside this file).</noscript>',
    '<div id="app"></div>',
    `<script id="rdblens-data" type="application/json">${scriptJson(data)}</script>`,
    `<script>${echartsSource()}</script>`,
    `<script>${inlineScript('page script', PAGE_SCRIPT)}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** `rdblens report --html`. */
export function reportPage(r: ReportInput, mode: EscapeMode): string {
  const m = r.model;
  const files = m.files.length === 1 ? m.files[0]!.file : `${m.files.length} dumps`;
  return renderPage({
    kind: 'report',
    title: `rdblens report: ${files}`,
    doc: reportDocument(r, mode),
    shards: tableJson(filesTable(m), mode),
    tree: treeData(m, mode),
  });
}

/** `rdblens diff --html`: `doc` is what `diff --json` writes. */
export function diffPage(oldFile: string, newFile: string, doc: Record<string, JsonValue>): string {
  return renderPage({ kind: 'diff', title: `rdblens diff: ${oldFile} -> ${newFile}`, doc });
}
