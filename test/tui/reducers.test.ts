/**
 * The pure reducers behind the views: table and scroll positions, sorts, prefix navigation, the
 * filter prompt, the app's view switching.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clampTable, tableReducer, INITIAL_TABLE_STATE, type TableAction } from '../../src/tui/components/table/index.js';
import { scrollReducer } from '../../src/tui/components/scroll-view/index.js';
import { topKeysReducer, INITIAL_TOP_KEYS_STATE } from '../../src/tui/components/top-keys/index.js';
import { prefixesReducer, levelRows, nodeAt, INITIAL_PREFIXES_STATE } from '../../src/tui/components/prefixes/index.js';
import { promptReducer } from '../../src/tui/components/filter-prompt/index.js';
import { appReducer, INITIAL_APP_STATE } from '../../src/tui/hooks/use-app-state.js';
import { barText } from '../../src/tui/components/bar/index.js';
import { wrapText } from '../../src/tui/components/scroll-view/index.js';
import { PrefixTree } from '../../src/memory/prefix-tree.js';
import { splitKeys } from '../../src/tui/hooks/use-key-router.js';
import type { Key } from 'ink';

const shape = { total: 100, pageSize: 10 };
const run = (actions: TableAction['type'][], s = INITIAL_TABLE_STATE, sh = shape) =>
  actions.reduce((st, type) => tableReducer(st, { type, shape: sh } as TableAction & { shape: typeof sh }), s);

test('table: cursor moves, pages, stays visible and in range', () => {
  assert.deepEqual(run(['down', 'down']), { cursor: 2, offset: 0 });
  assert.deepEqual(run(['up']), { cursor: 0, offset: 0 });
  assert.deepEqual(run(['page-down']), { cursor: 10, offset: 10 });
  assert.deepEqual(run(['page-down', 'page-up']), { cursor: 0, offset: 0 });
  assert.deepEqual(run(['end']), { cursor: 99, offset: 90 });
  assert.deepEqual(run(['end', 'down']), { cursor: 99, offset: 90 });
  assert.deepEqual(run(['end', 'home']), { cursor: 0, offset: 0 });
  const s = run(Array(12).fill('down'));
  assert.deepEqual(s, { cursor: 12, offset: 3 });
  // fewer rows (a filter) or a smaller page (a resize): clamped on read
  assert.deepEqual(clampTable({ cursor: 50, offset: 45 }, { total: 20, pageSize: 10 }), { cursor: 19, offset: 10 });
  assert.deepEqual(clampTable({ cursor: 12, offset: 3 }, { total: 100, pageSize: 5 }), { cursor: 12, offset: 8 });
  assert.deepEqual(clampTable({ cursor: 3, offset: 1 }, { total: 0, pageSize: 5 }), INITIAL_TABLE_STATE);
  assert.deepEqual(tableReducer(INITIAL_TABLE_STATE, { type: 'select', row: 42, shape }), { cursor: 42, offset: 33 });
});

test('scroll: within the lines that do not fit', () => {
  const sh = { total: 30, height: 10 };
  let o = 0;
  for (const type of ['down', 'down', 'page-down'] as const) o = scrollReducer(o, { type, shape: sh });
  assert.equal(o, 11);
  assert.equal(scrollReducer(o, { type: 'end', shape: sh }), 20);
  assert.equal(scrollReducer(25, { type: 'down', shape: sh }), 20);
  assert.equal(scrollReducer(5, { type: 'up', shape: { total: 3, height: 10 } }), 0);
});

test('top keys: s cycles the sort from the top, r reverses, jump selects a row', () => {
  let s = topKeysReducer(INITIAL_TOP_KEYS_STATE, { type: 'table', action: { type: 'down' }, shape });
  assert.equal(s.table.cursor, 1);
  s = topKeysReducer(s, { type: 'cycle-sort', shape });
  assert.deepEqual([s.sort, s.reversed, s.table.cursor], ['elements', false, 0]);
  s = topKeysReducer(s, { type: 'cycle-sort', shape });
  assert.equal(s.sort, 'ttl');
  s = topKeysReducer(s, { type: 'cycle-sort', shape });
  assert.equal(s.sort, 'memory');
  s = topKeysReducer(s, { type: 'reverse', shape });
  assert.equal(s.reversed, true);
  s = topKeysReducer(s, { type: 'jump', sort: 'ttl', reversed: false, row: 57, shape });
  assert.deepEqual([s.sort, s.reversed, s.table.cursor], ['ttl', false, 57]);
});

function tree(): PrefixTree {
  const t = new PrefixTree({ separators: ':', depth: 3 });
  const add = (k: string, b: number, ttl = false) => t.add(Buffer.from(k), b, ttl);
  add('user:1:profile', 100);
  add('user:1:cart', 50, true);
  add('user:2:profile', 120);
  add('session:abc', 40, true);
  add('session:def', 30, true);
  add('plain', 7);
  return t;
}

test('prefix levels: children by size, then the keys not under any of them', () => {
  const t = tree();
  const rows = levelRows(t.root, 'bytes', false);
  assert.deepEqual(
    rows.map((r) => [r.kind, r.kind === 'prefix' ? r.node!.prefix.toString() : '', r.keys, r.bytes, r.bytesNoTtl]),
    [
      ['prefix', 'user:', 3, 270, 220],
      ['prefix', 'session:', 2, 70, 0],
      ['rest', '', 1, 7, 7],
    ],
  );
  assert.deepEqual(
    levelRows(t.root, 'name', false).map((r) => r.kind === 'prefix' && r.node!.prefix.toString()),
    ['session:', 'user:', false],
  );
  assert.deepEqual(
    levelRows(t.root, 'keys', true).map((r) => r.kind === 'prefix' && r.node!.prefix.toString()),
    ['session:', 'user:', false],
  );
});

test('prefix navigation: descend keeps the level above, up restores it', () => {
  const t = tree();
  const sh = { total: 3, pageSize: 10 };
  let s = prefixesReducer(INITIAL_PREFIXES_STATE, { type: 'table', action: { type: 'down' }, shape: sh });
  s = prefixesReducer(s, { type: 'descend', segment: 'session:', shape: sh });
  assert.deepEqual(s.path, ['session:']);
  assert.equal(s.table.cursor, 0);
  assert.equal(nodeAt(t, s.path).node.prefix.toString(), 'session:');
  s = prefixesReducer(s, { type: 'up', shape: sh });
  assert.deepEqual([s.path, s.table.cursor], [[], 1]);
  assert.equal(prefixesReducer(s, { type: 'up', shape: sh }), s);
  // a path that a filtered tree lacks stops where the tree does
  assert.deepEqual(nodeAt(t, ['user:', 'nope:']).depth, 1);
});

test('filter prompt: typing, backspace over a multi-byte character, clear', () => {
  let t = promptReducer('', { type: 'insert', text: 'clé:' });
  t = promptReducer(t, { type: 'insert', text: '🔑\u001b[A\n' });
  assert.equal(t, 'clé:🔑[A');
  t = promptReducer(promptReducer(promptReducer(t, { type: 'backspace' }), { type: 'backspace' }), { type: 'backspace' });
  assert.equal(t, 'clé:');
  assert.equal(promptReducer(t, { type: 'clear' }), '');
});

test('app: views by number and Tab, detail and overlays', () => {
  let s = appReducer(INITIAL_APP_STATE, { type: 'show-view', view: 'keys' });
  s = appReducer(s, { type: 'open-detail', gid: 5 });
  assert.equal(s.detail, 5);
  s = appReducer(s, { type: 'next-view', step: 1 });
  assert.deepEqual([s.view, s.detail], ['prefixes', -1]);
  s = appReducer(s, { type: 'next-view', step: -1 });
  s = appReducer(s, { type: 'next-view', step: -1 });
  s = appReducer(s, { type: 'next-view', step: -1 });
  s = appReducer(s, { type: 'next-view', step: -1 });
  // back past the first view: the last one (Evict)
  assert.equal(s.view, 'evict');
  s = appReducer(s, { type: 'open-overlay', overlay: 'help' });
  assert.equal(appReducer(s, { type: 'close-overlay' }).overlay, null);
  assert.equal(appReducer(INITIAL_APP_STATE, { type: 'clear-message' }), INITIAL_APP_STATE);
});

test('bars in eighths, wrapped text', () => {
  assert.equal(barText(0, 4), '    ');
  assert.equal(barText(1, 4), '████');
  assert.equal(barText(0.5, 3), '█▌ ');
  assert.equal(barText(0.0001, 3), '▏  ');
  assert.equal(barText(NaN, 2), '  ');
  assert.deepEqual(wrapText('aaa bbb ccc', 10), ['aaa bbb', 'ccc']);
  assert.deepEqual(wrapText('    x yy zz', 10), ['    x yy', '    zz']);
});

test('a run of characters in one read is split back into keys', () => {
  const none = { upArrow: false, downArrow: false, return: false, tab: false, ctrl: false, meta: false, backspace: false, delete: false } as unknown as Key;
  const keys = splitKeys('/u*\r\u0015\u007f\t', none);
  assert.deepEqual(
    keys.map(([i, k]) => [i, k.return, k.ctrl, k.delete, k.tab]),
    [
      ['/', false, false, false, false],
      ['u', false, false, false, false],
      ['*', false, false, false, false],
      ['', true, false, false, false],
      ['u', false, true, false, false],
      ['', false, false, true, false],
      ['', false, false, false, true],
    ],
  );
  // one key, or a key with a modifier, is left as Ink gave it
  assert.deepEqual(splitKeys('q', none), [['q', none]]);
  const meta = { ...none, meta: true } as Key;
  assert.deepEqual(splitKeys('ab', meta), [['ab', meta]]);
});
