/**
 * The page's own style sheet and script (plain browser JavaScript, ES2017, no module system),
 * inlined by page.ts next to ECharts. The script reads the data from the JSON element and builds
 * the page with textContent only (key names are untrusted); chart tooltips are HTML in ECharts,
 * so every name in them goes through echarts.format.encodeHTML. It sets window.rdblens (the
 * charts, the treemap's path) for scripts that drive the page, such as the browser tests.
 */

export const PAGE_STYLE = String.raw`
:root { --fg: #1d2430; --muted: #5b6575; --line: #dde2ea; --bg: #f6f7f9; --card: #fff; --accent: #c0392b; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
#app { max-width: 1240px; margin: 0 auto; padding: 20px 24px 60px; }
h1 { font-size: 22px; margin: 0 0 2px; }
h2 { font-size: 17px; margin: 0 0 10px; }
h3 { font-size: 14px; margin: 12px 0 4px; }
.sub { color: var(--muted); margin: 0 0 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; margin-bottom: 18px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .v { font-size: 20px; font-weight: 600; }
.card .l { color: var(--muted); font-size: 12px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin-bottom: 16px; }
.row { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
@media (max-width: 900px) { .row { grid-template-columns: 1fr; } }
.chart { width: 100%; height: 320px; }
#treemap { height: 520px; }
.chart.tall { height: 420px; }
.crumbs { margin: 0 0 8px; display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }
.crumbs button { border: 1px solid var(--line); background: #eef1f6; border-radius: 4px; padding: 2px 8px; cursor: pointer; font: inherit; }
.crumbs button:last-child { background: #dfe7f3; font-weight: 600; }
.hint { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f0f2f6; position: sticky; top: 0; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th[aria-sort="ascending"] button::after { content: " \25B2"; }
th[aria-sort="descending"] button::after { content: " \25BC"; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.key { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; }
.tip { border-top: 1px solid var(--line); padding-top: 6px; }
.tip pre { white-space: pre-wrap; margin: 4px 0 8px; font-size: 12px; color: #333; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 11px; background: #eef1f6; color: var(--muted); margin-left: 6px; }
.scroll { max-height: 460px; overflow: auto; }
`;

export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('rdblens-data').textContent);
  var doc = data.doc;
  var app = document.getElementById('app');
  var state = { data: data, charts: {}, tree: null, ready: false };
  window.rdblens = state;

  function el(tag, props, children) {
    var e = document.createElement(tag);
    if (props) for (var k in props) {
      if (k === 'text') e.textContent = props[k];
      else if (k === 'className') e.className = props[k];
      else if (k === 'onclick') e.addEventListener('click', props[k]);
      else e.setAttribute(k, props[k]);
    }
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  var UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  function fmtBytes(n) {
    if (n === null || n === undefined || !isFinite(n)) return '-';
    var neg = n < 0, v = Math.abs(n), u = 0;
    while (v >= 1024 && u < UNITS.length - 1) { v /= 1024; u++; }
    var s = u === 0 ? String(Math.round(v)) : v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0);
    return (neg ? '-' : '') + s + ' ' + UNITS[u];
  }
  function fmtDelta(n) { return (n > 0 ? '+' : '') + fmtBytes(n); }
  function fmtCount(n) { return n === null || n === undefined ? '-' : Math.round(n).toLocaleString('en-US'); }
  function share(a, b) { return b > 0 ? (a / b * 100).toFixed(1) + '%' : '-'; }
  function esc(s) { return echarts.format.encodeHTML(String(s)); }

  function section(title, id, hint) {
    var s = el('section', { id: id }, [el('h2', { text: title }), hint ? el('p', { className: 'hint', text: hint }) : null]);
    app.appendChild(s);
    return s;
  }
  function chart(parent, id, option, cls) {
    var div = el('div', { id: id, className: 'chart' + (cls ? ' ' + cls : '') });
    parent.appendChild(div);
    var c = echarts.init(div, null, { renderer: 'canvas' });
    c.setOption(option);
    state.charts[id] = c;
    return c;
  }
  function cards(items) {
    app.appendChild(el('div', { className: 'cards', id: 'headline' }, items.map(function (it) {
      return el('div', { className: 'card' }, [el('div', { className: 'v', text: it[1] }), el('div', { className: 'l', text: it[0] })]);
    })));
  }

  /** A table sortable by any column (click its header). cols: [id, label, kind] with kind num|bytes|delta|key|text. */
  function sortable(parent, id, cols, rows) {
    var table = el('table', { id: id });
    var head = el('tr');
    var sort = { col: -1, dir: 1 };
    var body = el('tbody');
    function cell(c, v) {
      var kind = c[2];
      var text = v === null || v === undefined ? '' : kind === 'bytes' ? fmtBytes(v) : kind === 'delta' ? fmtDelta(v) : kind === 'num' ? fmtCount(v) : String(v);
      var td = el('td', { className: kind === 'key' ? 'key' : kind === 'text' ? '' : 'num', text: text });
      if (kind === 'bytes' || kind === 'delta') td.title = fmtCount(v) + ' bytes';
      return td;
    }
    function render() {
      var list = rows.slice();
      if (sort.col >= 0) {
        var k = cols[sort.col][0];
        list.sort(function (a, b) {
          var x = a[k], y = b[k];
          if (x === y) return 0;
          if (x === null || x === undefined) return 1;
          if (y === null || y === undefined) return -1;
          return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : 1) * sort.dir;
        });
      }
      body.textContent = '';
      list.forEach(function (r) { body.appendChild(el('tr', null, cols.map(function (c) { return cell(c, r[c[0]]); }))); });
    }
    cols.forEach(function (c, i) {
      var th = el('th', { className: c[2] === 'text' || c[2] === 'key' ? '' : 'num', 'data-col': c[0] }, [el('button', { type: 'button', text: c[1], onclick: function () {
        sort.dir = sort.col === i ? -sort.dir : (c[2] === 'text' || c[2] === 'key' ? 1 : -1);
        sort.col = i;
        Array.prototype.forEach.call(head.children, function (h, j) { if (j === i) h.setAttribute('aria-sort', sort.dir > 0 ? 'ascending' : 'descending'); else h.removeAttribute('aria-sort'); });
        render();
      } })]);
      head.appendChild(th);
    });
    table.appendChild(el('thead', null, [head]));
    table.appendChild(body);
    render();
    parent.appendChild(el('div', { className: 'scroll' }, [table]));
    return table;
  }

  function header(title, sub) {
    app.appendChild(el('h1', { text: title }));
    app.appendChild(el('p', { className: 'sub', text: sub }));
  }

  // ------------------------------------------------------------------ treemap
  function treemap(root, total) {
    var s = section('Memory by key prefix', 'prefixes', 'Click a prefix to open it; hover for keys, bytes, share and bytes without a TTL. Sizes are MEMORY USAGE summed over the keys.');
    var byId = [], parent = [];
    (function index(n, p) {
      n.id = byId.length; byId.push(n); parent.push(p);
      if (n.c) n.c.forEach(function (c) { index(c, n.id); });
    })(root, -1);
    function prefixOf(n) {
      var parts = [];
      for (var id = n.id; id > 0; id = parent[id]) parts.unshift(byId[id].x ? '' : byId[id].n);
      return parts.join('');
    }
    function label(n) { return n.x ? n.n : prefixOf(n); }
    function items(n, depth) {
      return (n.c || []).filter(function (c) { return c.b > 0 || c.k > 0; }).map(function (c) {
        var it = { name: c.n, value: Math.max(c.b, 0), id: String(c.id) };
        if (c.x) it.itemStyle = { color: '#b8c0cc' };
        if (depth > 0 && c.c) it.children = items(c, depth - 1);
        return it;
      });
    }
    var crumbs = el('div', { className: 'crumbs', id: 'tree-path' });
    s.appendChild(crumbs);
    var tableBox = el('div');
    var c;
    var tree = { path: [], prefix: '', node: root, open: open };
    state.tree = tree;
    function open(n) {
      var chain = [];
      for (var id = n.id; id >= 0; id = parent[id]) chain.unshift(byId[id]);
      tree.node = n;
      tree.path = chain.map(function (x) { return x.n; });
      tree.prefix = prefixOf(n);
      crumbs.textContent = '';
      chain.forEach(function (x) {
        crumbs.appendChild(el('button', { type: 'button', 'data-id': String(x.id), text: x.id === 0 ? x.n : x.n, onclick: function () { open(x); } }));
      });
      c.setOption({ series: [{ data: items(n, 1) }] });
      tableBox.textContent = '';
      sortable(tableBox, 'tree-table', [['name', 'prefix', 'key'], ['keys', 'keys', 'num'], ['bytes', 'bytes', 'bytes'], ['share', '% of all', 'text'], ['bytesNoTtl', 'bytes no TTL', 'bytes']],
        (n.c || []).map(function (x) { return { name: label(x), keys: x.k, bytes: x.b, share: share(x.b, total), bytesNoTtl: x.t }; }));
    }
    c = chart(s, 'treemap', {
      tooltip: { confine: true, formatter: function (info) {
        var n = info.data && byId[Number(info.data.id)];
        if (!n) return '';
        var up = byId[parent[n.id]];
        return '<b>' + esc(label(n)) + '</b><br>' + esc(fmtCount(n.k)) + ' keys<br>' + esc(fmtBytes(n.b)) + ' (' + esc(share(n.b, total)) + ' of all, ' + esc(share(n.b, up ? up.b : 0)) + ' of ' + esc(up ? (up.id === 0 ? 'all keys' : label(up)) : '-') + ')<br>no TTL: ' + esc(fmtBytes(n.t)) + ' in ' + esc(fmtCount(n.u)) + ' keys';
      } },
      series: [{
        type: 'treemap', name: 'prefixes', roam: false, nodeClick: false, breadcrumb: { show: false },
        width: '100%', height: '100%', top: 0, left: 0, visibleMin: 200, animationDurationUpdate: 300,
        label: { show: true, formatter: '{b}', overflow: 'truncate' },
        upperLabel: { show: true, height: 22, color: '#1d2430', fontWeight: 'bold', overflow: 'truncate' },
        levels: [
          { itemStyle: { borderColor: '#fff', borderWidth: 3, gapWidth: 3 } },
          { itemStyle: { borderColor: 'rgba(255,255,255,0.6)', borderWidth: 1, gapWidth: 1 }, colorSaturation: [0.35, 0.6] },
        ],
        data: [],
      }],
    });
    c.on('click', function (p) {
      var n = p.data && byId[Number(p.data.id)];
      if (n && n.c && n.c.length) open(n);
    });
    s.appendChild(tableBox);
    open(root);
  }

  // ------------------------------------------------------------------ report
  function report() {
    var t = doc.total, stats = doc.memory_stats || {};
    header(data.title, 'reference time ' + doc.now + (doc.complete ? '' : ' · INCOMPLETE: a dump could not be read to the end'));
    cards([
      ['keys', fmtCount(t.keys)],
      ['memory (MEMORY USAGE summed)', fmtBytes(t.bytes)],
      ['used_memory after load (estimate)', fmtBytes(stats['total.allocated'])],
      ['mean per key', t.keys > 0 ? fmtBytes(Math.round(t.bytes / t.keys)) : '-'],
      ['keys with a TTL', fmtCount(t.expires) + ' (' + share(t.expires, t.keys) + ')'],
      ['already expired', fmtCount(t.expired_keys) + ' · ' + fmtBytes(t.expired_bytes)],
      ['key names', fmtBytes(t.key_name_bytes)],
      ['dumps', String(doc.files.length)],
    ]);
    treemap(data.tree, t.bytes);

    var te = section('Memory by type and encoding', 'types');
    var row = el('div', { className: 'row' });
    te.appendChild(row);
    chart(row, 'types-chart', {
      tooltip: { trigger: 'item', formatter: function (p) { return esc(p.name) + '<br>' + esc(fmtBytes(p.value)) + ' (' + p.percent + '%)<br>' + esc(fmtCount(p.data.keys)) + ' keys'; } },
      series: [{ type: 'pie', radius: ['35%', '70%'], data: doc.types.map(function (x) { return { name: x.type, value: x.bytes, keys: x.keys }; }), label: { formatter: '{b}: {d}%' } }],
    });
    var enc = doc.encodings.slice().reverse();
    chart(row, 'encodings-chart', {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: function (ps) { var p = ps[0]; var e = enc[p.dataIndex]; return esc(e.type + ' / ' + e.encoding) + '<br>' + esc(fmtBytes(e.bytes)) + ' in ' + esc(fmtCount(e.keys)) + ' keys (' + esc(e.percent.toFixed(1)) + '%)'; } },
      grid: { left: 150, right: 20, top: 10, bottom: 30 },
      xAxis: { type: 'value', axisLabel: { formatter: fmtBytes } },
      yAxis: { type: 'category', data: enc.map(function (e) { return e.type + ' / ' + e.encoding; }) },
      series: [{ type: 'bar', data: enc.map(function (e) { return e.bytes; }) }],
    });

    var ttl = section('TTL distribution', 'ttl', 'relative to ' + doc.now);
    chart(ttl, 'ttl-chart', {
      tooltip: { trigger: 'axis', formatter: function (ps) { var r = doc.ttl[ps[0].dataIndex]; return esc(r.ttl) + '<br>' + esc(fmtCount(r.keys)) + ' keys<br>' + esc(fmtBytes(r.bytes)) + ' (' + esc(r.percent.toFixed(1)) + '% of bytes)'; } },
      legend: { data: ['bytes', 'keys'] },
      grid: { left: 80, right: 70, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: doc.ttl.map(function (r) { return r.ttl; }) },
      yAxis: [{ type: 'value', name: 'bytes', axisLabel: { formatter: fmtBytes } }, { type: 'value', name: 'keys' }],
      series: [
        { name: 'bytes', type: 'bar', data: doc.ttl.map(function (r) { return r.bytes; }) },
        { name: 'keys', type: 'line', yAxisIndex: 1, data: doc.ttl.map(function (r) { return r.keys; }) },
      ],
    });

    if (data.shards && data.shards.length > 1) {
      var sh = section('Per shard', 'shards', 'one bar per dump; a shard far from the mean is skew');
      chart(sh, 'shards-chart', {
        tooltip: { trigger: 'axis', formatter: function (ps) { var r = data.shards[ps[0].dataIndex]; return esc(r.file) + '<br>' + esc(fmtBytes(r.bytes)) + ' (' + esc(r.percent.toFixed(1)) + '%, ' + esc(r.skew.toFixed(2)) + '× the mean)<br>' + esc(fmtCount(r.keys)) + ' keys'; } },
        legend: { data: ['bytes', 'keys'] },
        grid: { left: 80, right: 70, top: 40, bottom: 60 },
        xAxis: { type: 'category', data: data.shards.map(function (r) { var f = String(r.file); return f.slice(f.lastIndexOf('/') + 1); }), axisLabel: { interval: 0, rotate: 20 } },
        yAxis: [{ type: 'value', name: 'bytes', axisLabel: { formatter: fmtBytes } }, { type: 'value', name: 'keys' }],
        series: [
          { name: 'bytes', type: 'bar', data: data.shards.map(function (r) { return r.bytes; }) },
          { name: 'keys', type: 'bar', yAxisIndex: 1, data: data.shards.map(function (r) { return r.keys; }) },
        ],
      });
    }

    var top = section('Largest keys', 'top', 'click a column to sort');
    var cols = [['rank', '#', 'num'], ['db', 'db', 'num'], ['key', 'key', 'key'], ['type', 'type', 'text'], ['encoding', 'encoding', 'text'], ['bytes', 'bytes', 'bytes'], ['elements', 'elements', 'num'], ['expiry', 'expiry', 'text']];
    if (doc.top_keys.length && 'file' in doc.top_keys[0]) cols.push(['file', 'file', 'text']);
    sortable(top, 'top-keys', cols, doc.top_keys);

    var dr = section('MEMORY DOCTOR', 'doctor');
    var tips = doc.doctor_tips || [];
    if (tips.length === 0) dr.appendChild(el('p', { text: 'No tips: nothing the doctor would change.' }));
    tips.forEach(function (tip) {
      dr.appendChild(el('div', { className: 'tip' }, [
        el('h3', null, [tip.title, el('span', { className: 'badge', text: (tip.kind === 'saving' ? 'saves ' : 'concerns ') + fmtBytes(tip.bytes) })]),
        el('pre', { text: tip.lines.join('\n') }),
      ]));
    });

    var st = section('MEMORY STATS (estimate for a server that loads the dump' + (doc.files.length > 1 ? 's; shards summed)' : ')'), 'stats');
    var srows = [];
    Object.keys(stats).forEach(function (k) {
      var v = stats[k];
      if (v !== null && typeof v === 'object') Object.keys(v).forEach(function (k2) { srows.push({ field: k + '.' + k2, value: v[k2] }); });
      else srows.push({ field: k, value: v });
    });
    sortable(st, 'stats-table', [['field', 'field', 'text'], ['value', 'value', 'text']], srows);
  }

  // ------------------------------------------------------------------ diff
  function diff() {
    var o = doc.old, n = doc.new;
    header(data.title, (doc.complete ? '' : 'INCOMPLETE: a dump could not be read to the end'));
    cards([
      ['keys', fmtCount(o.keys) + ' → ' + fmtCount(n.keys)],
      ['memory', fmtBytes(o.bytes) + ' → ' + fmtBytes(n.bytes)],
      ['change', fmtDelta(doc.bytes_delta)],
      ['added', fmtCount(doc.keys_added) + ' keys · ' + fmtBytes(doc.bytes_added)],
      ['removed', fmtCount(doc.keys_removed) + ' keys · ' + fmtBytes(doc.bytes_removed)],
      ['changed', fmtCount(doc.keys_changed) + ' keys · ' + fmtDelta(doc.bytes_changed)],
    ]);
    function growth(id, title, rows, name) {
      var s = section(title, id, 'bytes new minus bytes old; hover for both');
      var list = rows.slice().reverse();
      chart(s, id + '-chart', {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: function (ps) { var r = list[ps[0].dataIndex]; return '<b>' + esc(r[name]) + '</b><br>' + esc(fmtBytes(r.bytes_old)) + ' → ' + esc(fmtBytes(r.bytes_new)) + ' (' + esc(fmtDelta(r.bytes_delta)) + ')<br>' + esc(fmtCount(r.keys_old)) + ' → ' + esc(fmtCount(r.keys_new)) + ' keys'; } },
        grid: { left: 200, right: 30, top: 10, bottom: 30 },
        xAxis: { type: 'value', axisLabel: { formatter: fmtDelta } },
        yAxis: { type: 'category', data: list.map(function (r) { return String(r[name]); }), axisLabel: { width: 190, overflow: 'truncate' } },
        series: [{ type: 'bar', data: list.map(function (r) { return { value: r.bytes_delta, itemStyle: { color: r.bytes_delta >= 0 ? '#c0392b' : '#27ae60' } }; }) }],
      }, 'tall');
      sortable(s, id + '-table', [[name, name, name === 'prefix' ? 'key' : 'text'], ['keys_old', 'keys old', 'num'], ['keys_new', 'keys new', 'num'], ['keys_delta', 'Δ keys', 'num'], ['bytes_old', 'bytes old', 'bytes'], ['bytes_new', 'bytes new', 'bytes'], ['bytes_delta', 'Δ bytes', 'delta']], rows);
    }
    growth('prefix-growth', 'Growth by prefix', doc.prefixes, 'prefix');
    growth('type-growth', 'Growth by type', doc.types, 'type');
    var kcols = [['db', 'db', 'num'], ['key', 'key', 'key'], ['type', 'type', 'text'], ['status', 'status', 'text'], ['bytes_old', 'bytes old', 'bytes'], ['bytes_new', 'bytes new', 'bytes'], ['bytes_delta', 'Δ bytes', 'delta']];
    sortable(section('Keys that grew most', 'growing'), 'growing-table', kcols, doc.growing);
    sortable(section('Keys that shrank most', 'shrinking'), 'shrinking-table', kcols, doc.shrinking);
  }

  if (data.kind === 'diff') diff(); else report();
  window.addEventListener('resize', function () { for (var k in state.charts) state.charts[k].resize(); });
  state.ready = true;
})();
`;
