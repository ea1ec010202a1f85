/**
 * `rdblens report --html` and `rdblens diff --html` in a real browser: headless Chromium loads
 * the page from a file (no network: the page's CSP forbids it, and any blocked request would be
 * a logged error), with no console error; the treemap is drawn (an ECharts instance with the
 * prefix tree, a canvas of many colours); a real mouse click on the largest prefix opens it
 * (the breadcrumb, the table under the chart and the chart's data show its children); a hover
 * shows the tooltip; the top-keys table sorts; the figures on the page equal `report --json`.
 * Hostile key names (a real redis-server's dump) stay text: no script breakout.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { rdblensProcess, ROOT } from '../cli/cli-helpers.js';
import { corpusPath } from '../helpers/corpus.js';
import { findProgram } from '../helpers/programs.js';
import { Browser } from '../helpers/chromium.js';
import { BINARY_KEY, HOSTILE_KEYS, makeHostileDump } from '../helpers/hostile-dump.js';
import { escapeBytes } from '../../src/report/escape.js';
import { htmlText, inlineScript, scriptJson } from '../../src/report/html/inline.js';

const CHROMIUM = findProgram('chromium');
const skip = CHROMIUM === null ? 'chromium is not installed' : false;

const NOW = ['--now', '2029-06-01T00:00:00Z'];
const DEMO = path.join(ROOT, 'samples/demo.rdb');
const SHARDS = [DEMO, corpusPath('generated/redis-7.2.6/mixed-large.rdb'), corpusPath('generated/redis-7.2.6/multi-db.rdb')];

type Json = Record<string, any>;
let dir = '';
let browser: Browser;
const pages: Record<string, { file: string; json: Json }> = {};

async function run(args: string[]): Promise<string> {
  const r = await rdblensProcess(args);
  assert.equal(r.code, 0, `rdblens ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(path.join(tmpdir(), 'rdblens-html-'));
  const hostile = path.join(dir, 'hostile.rdb');
  await makeHostileDump(hostile);
  const h = (n: string): string => path.join(dir, `${n}.html`);
  const common = [...NOW, '-q', '--top', '20'];
  const [shards, hostileJson, diffJson] = await Promise.all([
    run(['report', ...SHARDS, ...common, '--json', '--html', h('shards')]),
    run(['report', hostile, ...NOW, '-q', '--top', '100', '--json', '--html', h('hostile')]),
    run(['diff', corpusPath('generated/redis-7.2.6/multi-db.rdb'), DEMO, ...NOW, '-q', '--json', '--html', h('diff')]),
  ]);
  pages.shards = { file: h('shards'), json: JSON.parse(shards) };
  pages.hostile = { file: h('hostile'), json: JSON.parse(hostileJson) };
  pages.diff = { file: h('diff'), json: JSON.parse(diffJson) };
  browser = await Browser.launch(CHROMIUM!);
});

after(async () => {
  await browser?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function load(name: string): Promise<void> {
  browser.errors.length = 0;
  browser.requests.length = 0;
  await browser.open(pathToFileURL(pages[name]!.file).href);
  await browser.waitFor('window.rdblens && window.rdblens.ready');
}

test('inline escaping: JSON cannot end the script element, scripts that could are refused', () => {
  const s = scriptJson({ k: '</script><script>alert(1)</script><!-- ]]> & \u2028' });
  assert.doesNotMatch(s, /[<>&\u2028\u2029]/);
  assert.deepEqual(JSON.parse(s), { k: '</script><script>alert(1)</script><!-- ]]> & \u2028' });
  assert.equal(htmlText(`<a href="x">'&'</a>`), '&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  assert.throws(() => inlineScript('lib', 'var s = "</SCRIPT>";'), /cannot be inlined/);
  assert.throws(() => inlineScript('lib', 'x <!-- y'), /cannot be inlined/);
  assert.equal(inlineScript('lib', 'a < b'), 'a < b');
});

test('report --html: one self-contained file within budget', { skip }, () => {
  const html = readFileSync(pages.shards!.file, 'utf8');
  // scripts inline: the data, ECharts, the page's own; nothing loaded from elsewhere
  assert.equal((html.match(/<script\b/g) ?? []).length, 3);
  assert.doesNotMatch(html, /<script[^>]+src=|<link\b|<iframe\b/i);
  assert.match(html, /http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/);
  assert.ok(html.length < 2_000_000, `${html.length} bytes`);
});

test('Chromium: no console errors, treemap drawn, a click on a prefix drills down, hover, sort', { skip, timeout: 180_000 }, async () => {
  await load('shards');
  const json = pages.shards!.json;
  // the treemap: an ECharts instance holding the top level of the prefix tree, and a canvas of many colours
  const drawn = await browser.evaluate<{ items: number; colours: number; filled: number; w: number }>(`(() => {
    const c = echarts.getInstanceByDom(document.getElementById('treemap'));
    const canvas = document.querySelector('#treemap canvas');
    const ctx = canvas.getContext('2d');
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set(); let filled = 0;
    for (let i = 0; i < img.length; i += 4 * 7) { const rgb = (img[i] << 16) | (img[i + 1] << 8) | img[i + 2]; colours.add(rgb); if (img[i + 3] > 0 && rgb !== 0xffffff) filled++; }
    return { items: c.getOption().series[0].data.length, colours: colours.size, filled: filled / (img.length / 28), w: canvas.width };
  })()`);
  const top = json.prefixes.filter((p: Json) => p.depth === 1);
  assert.ok(drawn.items >= Math.min(top.length, 40), `${drawn.items} top-level items`);
  assert.ok(drawn.colours > 20, `${drawn.colours} colours`);
  assert.ok(drawn.filled > 0.5, `${drawn.filled} of the canvas drawn`);

  // the headline figures are the JSON's
  const headline = await browser.evaluate<string>(`document.getElementById('headline').textContent`);
  assert.match(headline, new RegExp(json.total.keys.toLocaleString('en-US')));
  // the top-keys table: the JSON's rows, in its order, and sortable
  const keyCells = (): Promise<string[]> => browser.evaluate<string[]>(`[...document.querySelectorAll('#top-keys tbody tr')].map((r) => r.children[2].textContent)`);
  assert.deepEqual(await keyCells(), json.top_keys.map((k: Json) => k.key));
  await browser.evaluate(`document.querySelector('#top-keys th[data-col="elements"] button').click()`);
  const byElements = [...json.top_keys].sort((a: Json, b: Json) => b.elements - a.elements || 0);
  assert.deepEqual((await keyCells()).map((k) => json.top_keys.find((t: Json) => t.key === k).elements), byElements.map((k: Json) => k.elements));
  await browser.evaluate(`document.querySelector('#top-keys th[data-col="elements"] button').click()`);
  assert.deepEqual((await keyCells()).map((k) => json.top_keys.find((t: Json) => t.key === k).elements), byElements.map((k: Json) => k.elements).reverse());

  // a real click on the largest top-level prefix
  await browser.evaluate(`document.getElementById('prefixes').scrollIntoView()`);
  const target = await browser.evaluate<{ points: Array<[number, number]>; name: string; children: number }>(`(() => {
    const c = rdblens.charts.treemap;
    const root = c.getModel().getSeriesByIndex(0).getData().tree.root;
    const first = root.children[0];
    const l = first.getLayout();
    const r = document.getElementById('treemap').getBoundingClientRect();
    const node = rdblens.tree.node.c[0];
    const x = r.left + l.x, y = r.top + l.y;
    // the prefix's own area: its label band at the top, its left border, its top border
    return { points: [[x + Math.min(40, l.width / 2), y + 10], [x + 1.5, y + l.height / 2], [x + l.width / 2, y + 1.5]], name: first.name, children: node.c ? node.c.length : 0 };
  })()`);
  const largest = [...top].sort((a: Json, b: Json) => b.bytes - a.bytes || b.keys - a.keys)[0];
  assert.equal(target.name, largest.prefix);
  assert.ok(target.children > 1);
  const opened = `rdblens.tree.prefix === ${JSON.stringify(largest.prefix)}`;
  for (const [x, y] of target.points) {
    await browser.click(x, y);
    try {
      await browser.waitFor(opened, 5000);
      break;
    } catch {
      // not on the prefix's own area: the next point
    }
  }
  assert.equal(await browser.evaluate(opened), true, 'a click on the prefix opened it');
  const after = await browser.evaluate<{ crumbs: string[]; rows: string[]; data: string[]; node: string[] }>(`({
    crumbs: [...document.querySelectorAll('#tree-path button')].map((b) => b.textContent),
    rows: [...document.querySelectorAll('#tree-table tbody tr')].map((r) => r.children[0].textContent),
    data: rdblens.charts.treemap.getOption().series[0].data.map((d) => d.name),
    node: rdblens.tree.node.c.map((c) => c.n),
  })`);
  assert.deepEqual(after.crumbs, ['(all keys)', largest.prefix]);
  assert.deepEqual(after.data, after.node);
  const children = json.prefixes.filter((p: Json) => p.depth === 2 && p.prefix.startsWith(largest.prefix));
  for (const c of children.slice(0, 5)) assert.ok(after.rows.includes(c.prefix), `${c.prefix} listed under ${largest.prefix}`);

  // hover: the tooltip names the prefix with its keys, bytes, share and bytes without a TTL
  // the drill-down animates the layout: hover where the first child is now, until the tooltip shows
  const tooltip = `[...document.querySelectorAll('div')].filter((d) => d.children.length > 0 && /of all, /.test(d.textContent) && getComputedStyle(d).display !== 'none' && getComputedStyle(d).visibility !== 'hidden')`;
  const hoverStart = Date.now();
  for (;;) {
    const child = await browser.evaluate<{ x: number; y: number }>(`(() => {
      const root = rdblens.charts.treemap.getModel().getSeriesByIndex(0).getData().tree.root;
      const l = root.children[0].getLayout();
      const r = document.getElementById('treemap').getBoundingClientRect();
      return { x: r.left + l.x + l.width / 2, y: r.top + l.y + 8 };
    })()`);
    await browser.hover(child.x, child.y);
    await browser.hover(child.x + 3, child.y + 2);
    try {
      await browser.waitFor(`${tooltip}.length > 0`, 2000);
      break;
    } catch (e) {
      if (Date.now() - hoverStart > 60_000) throw e;
    }
  }
  const tip = await browser.evaluate<string>(`${tooltip}.pop().textContent`);
  assert.match(tip, /no TTL/);
  assert.match(tip, /keys/);
  assert.match(tip, /of all/);
  assert.match(tip, new RegExp(largest.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));

  // per-shard bars: one per dump
  assert.equal(await browser.evaluate(`rdblens.charts['shards-chart'].getOption().series[0].data.length`), 3);
  assert.deepEqual(await browser.evaluate(`rdblens.charts['shards-chart'].getOption().series[0].data`), json.files.map((f: Json) => f.bytes));
  // the doctor's tips
  const tips = await browser.evaluate<string[]>(`[...document.querySelectorAll('#doctor h3')].map((h) => h.firstChild.textContent)`);
  assert.deepEqual(tips, json.doctor_tips.map((t: Json) => t.title));
  assert.deepEqual(browser.errors, []);
  // nothing was fetched but the page itself (data: URLs are in the page)
  assert.deepEqual(browser.requests.filter((u) => u !== pathToFileURL(pages.shards!.file).href && !u.startsWith('data:')), []);

  // the screenshot for docs/ (RDBLENS_SCREENSHOT=path) and a check that it is not blank
  await browser.evaluate(`window.scrollTo(0, 0)`);
  await browser.evaluate(`rdblens.tree.open(rdblens.data.tree)`);
  await browser.hover(1270, 5);
  await new Promise((r) => setTimeout(r, 1000));
  const png = await browser.screenshot({ x: 0, y: 0, width: 1280, height: 1000 });
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.ok(png.length > 30_000, `${png.length} bytes of PNG`);
  if (process.env.RDBLENS_SCREENSHOT) writeFileSync(process.env.RDBLENS_SCREENSHOT, png);
});

test('Chromium: hostile key names stay text (no script runs, every name shown as the JSON has it)', { skip, timeout: 120_000 }, async () => {
  const html = readFileSync(pages.hostile!.file, 'utf8');
  assert.equal((html.match(/<script\b/g) ?? []).length, 3);
  assert.ok(!html.includes('</script><script>window.__pwned'));
  await load('hostile');
  assert.equal(await browser.evaluate(`typeof window.__pwned`), 'undefined');
  assert.equal(await browser.evaluate(`document.querySelectorAll('script').length`), 3);
  assert.equal(await browser.evaluate(`document.querySelectorAll('img').length`), 0);
  const json = pages.hostile!.json;
  const shown = await browser.evaluate<string[]>(`[...document.querySelectorAll('#top-keys tbody tr')].map((r) => r.children[2].textContent)`);
  assert.deepEqual(shown, json.top_keys.map((k: Json) => k.key));
  for (const k of [...HOSTILE_KEYS, BINARY_KEY]) assert.ok(shown.includes(escapeBytes(k, 'utf8')), `key ${JSON.stringify(k.toString())}`);
  // the prefix table under the treemap lists the hostile prefixes as text
  const rows = await browser.evaluate<string[]>(`[...document.querySelectorAll('#tree-table tbody tr')].map((r) => r.children[0].textContent)`);
  for (const k of [...HOSTILE_KEYS, BINARY_KEY]) {
    // the first level: the name up to its first ':' (each name has a :1 and a :2 key)
    const withColon = Buffer.concat([k, Buffer.from(':')]);
    const first = escapeBytes(withColon.subarray(0, withColon.indexOf(0x3a) + 1), 'utf8');
    assert.ok(rows.includes(first), `prefix ${JSON.stringify(first)}`);
  }
  // tooltips are HTML in ECharts: hover the treemap's nodes, no markup from a name gets in
  await browser.evaluate(`document.getElementById('prefixes').scrollIntoView()`);
  const boxes = await browser.evaluate<Array<{ x: number; y: number }>>(`(() => {
    const root = rdblens.charts.treemap.getModel().getSeriesByIndex(0).getData().tree.root;
    const r = document.getElementById('treemap').getBoundingClientRect();
    return root.children.map((n) => { const l = n.getLayout(); return { x: r.left + l.x + l.width / 2, y: r.top + l.y + l.height / 2 }; });
  })()`);
  for (const b of boxes.slice(0, 20)) await browser.hover(b.x, b.y);
  assert.equal(await browser.evaluate(`document.querySelectorAll('#treemap img, #treemap script').length`), 0);
  assert.equal(await browser.evaluate(`typeof window.__pwned`), 'undefined');
  assert.deepEqual(browser.errors, []);
});

test('diff --html: growth by prefix in Chromium equals diff --json', { skip, timeout: 120_000 }, async () => {
  await load('diff');
  const json = pages.diff!.json;
  const bars = await browser.evaluate<number[]>(`rdblens.charts['prefix-growth-chart'].getOption().series[0].data.map((d) => d.value)`);
  assert.deepEqual(bars, json.prefixes.map((p: Json) => p.bytes_delta).reverse());
  const rows = await browser.evaluate<string[]>(`[...document.querySelectorAll('#prefix-growth-table tbody tr')].map((r) => r.children[0].textContent)`);
  assert.deepEqual(rows, json.prefixes.map((p: Json) => p.prefix));
  const headline = await browser.evaluate<string>(`document.getElementById('headline').textContent`);
  assert.match(headline, new RegExp(json.new.keys.toLocaleString('en-US')));
  assert.deepEqual(browser.errors, []);
});
