/**
 * Overview: what was loaded, the estimated used_memory and MEMORY STATS highlights, then memory
 * by type and by encoding as bar charts. Scrolls when it does not fit.
 */
import { Box, Text } from 'ink';
import type { Explorer } from '../../data/explorer.js';
import type { Tally } from '../../data/summary.js';
import { formatBytes, formatCount, formatDuration, formatPercent, safeText } from '../../data/format.js';
import type { StatsValue } from '../../../memory/stats.js';
import { Bar } from '../bar/index.js';
import { line, ScrollView, wrapText, type ScrollLine } from '../scroll-view/index.js';
import { theme, TYPE_COLORS } from '../../theme.js';
import type { ValueType } from '../../../rdb/index.js';
import type { ReplicationStatus } from '../../data/live.js';
import { STATS_HIGHLIGHTS as REPORT_HIGHLIGHTS } from '../../../report/stats.js';

/** The link state as the header and overview show it. */
export function linkText(rep: ReplicationStatus): string {
  switch (rep.link) {
    case 'up':
      return 'link up';
    case 'syncing':
      return rep.sync && rep.sync.size !== null && rep.sync.size > 0
        ? `syncing ${Math.floor((rep.sync.read / rep.sync.size) * 100)}%`
        : `syncing ${formatBytes(rep.sync?.read ?? 0)}`;
    case 'connecting':
      return 'connecting';
    case 'down':
      return rep.downSeconds >= 0 ? `link down ${rep.downSeconds}s` : 'link down';
  }
}

/** MEMORY STATS fields worth a glance, in this order (those the server reports): the report's, and 8.0's lookup table. */
export const STATS_HIGHLIGHTS: readonly string[] = [...REPORT_HIGHLIGHTS, 'overhead.db.hashtable.lut'];

const BYTE_FIELDS = /allocated|overhead|bytes$|caches|lut|backlog|buffer|clients|links/;

export function statsValueText(name: string, v: StatsValue): string {
  if (Array.isArray(v)) return v.map(([k, x]) => `${k.replace(/^overhead\.hashtable\./, '')} ${formatBytes(x)}`).join(', ');
  if (typeof v === 'string') return safeText(v);
  if (name.endsWith('percentage')) return `${v.toFixed(1)}%`;
  if (name.endsWith('ratio') || name === 'fragmentation') return v.toFixed(2);
  if (name === 'keys.count') return formatCount(v);
  if (name === 'keys.bytes-per-key') return `${formatCount(v)} B`;
  return BYTE_FIELDS.test(name) ? formatBytes(v) : String(v);
}

export function barLines(prefix: string, title: string, tallies: readonly Tally[], total: number, width: number, colorOf: (name: string) => string): ScrollLine[] {
  const labelWidth = Math.min(24, Math.max(8, ...tallies.map((t) => t.name.length)) + 1);
  const numbers = 7 + 11 + 11;
  const barWidth = Math.max(4, Math.min(40, width - labelWidth - numbers - 4));
  const out: ScrollLine[] = [
    {
      key: `${prefix}-title`,
      node: (
        <Text wrap="truncate-end">
          <Text bold color={theme.accent}>
            {title.padEnd(labelWidth + barWidth + 2)}
          </Text>
          <Text color={theme.muted}>{'share'.padStart(7)}{'keys'.padStart(11)}{'memory'.padStart(11)}</Text>
        </Text>
      ),
    },
  ];
  for (const t of tallies) {
    const f = total > 0 ? t.bytes / total : 0;
    out.push({
      key: `${prefix}-${t.name}`,
      node: (
        <Text wrap="truncate-end">
          {'  '}
          {t.name.padEnd(labelWidth)}
          <Bar fraction={f} width={barWidth} color={colorOf(t.name)} />
          {formatPercent(f).padStart(7)}
          {formatCount(t.keys).padStart(11)}
          {formatBytes(t.bytes).padStart(11)}
        </Text>
      ),
    });
  }
  return out;
}

/** Every line of the overview for a width (and, following a primary, the replication figures now). */
export function overviewLines(ex: Explorer, width: number, rep?: ReplicationStatus | null): ScrollLine[] {
  const s = ex.summary;
  const out: ScrollLine[] = [];
  // a label and its value, wrapped at ' · ' into lines that fit
  const field = (label: string, value: string, key = label): void => {
    const parts = value.split(' · ');
    const room = Math.max(20, width - 11);
    const lines: string[] = [];
    for (const p of parts) {
      const last = lines.length - 1;
      if (last >= 0 && lines[last]!.length + 3 + p.length <= room) lines[last] += ' · ' + p;
      else lines.push(p);
    }
    for (const [j, l] of lines.entries()) {
      out.push({
        key: `f-${key}-${j}`,
        node: (
          <Text wrap="truncate-end">
            <Text bold>{(j === 0 ? label : '').padEnd(10)}</Text>
            {l}
          </Text>
        ),
      });
    }
  };
  if (rep) {
    const color = rep.link === 'up' ? theme.ok : rep.link === 'down' ? theme.error : theme.warning;
    out.push({
      key: 'f-primary-0',
      node: (
        <Text wrap="truncate-end">
          <Text bold>{'Primary'.padEnd(10)}</Text>
          {safeText(rep.source)} · <Text color={color}>{linkText(rep)}</Text> · lag {formatBytes(rep.lagBytes)} · last I/O {rep.lastIoSeconds}s ago
        </Text>
      ),
    });
    if (rep.link === 'down' && rep.lastError !== '') out.push(line('primary-err', `${''.padEnd(10)}${safeText(rep.lastError)}`, { color: theme.error }));
    field('', `${formatCount(rep.fullSyncs)} full sync(s) · ${formatCount(rep.partialSyncs)} partial · ${formatCount(rep.reconnects)} reconnect(s)`, 'syncs');
    const unsupported = rep.unsupported > 0 ? `${formatCount(rep.unsupported)} unsupported (${safeText(rep.unsupportedNames.join(', '))})` : '0 unsupported';
    field('Stream', `${formatCount(rep.applied)} commands applied · ${unsupported} · ${formatCount(rep.staleKeys)} stale keys${rep.engineErrors > 0 ? ` · ${formatCount(rep.engineErrors)} refused by the engine` : ''}`);
    const at = ex.live ? `${formatDuration(Math.max(0, Date.now() - ex.live.builtAt))} ago in ${formatCount(ex.live.buildMs)} ms` : '';
    field('Indexed', `${at} · lists, totals and prefixes as of then; header and visible rows live`);
  }
  for (const [i, f] of s.files.entries()) {
    const server = f.serverVersion ? `${f.valkey ? 'Valkey' : 'Redis'} ${safeText(f.serverVersion)}` : f.valkey ? 'Valkey' : 'Redis';
    field(i === 0 ? (rep ? 'Sync' : 'Dump') : '', `${safeText(f.file)} · RDB ${f.rdbVersion} · written by ${server} · modelled as ${f.profile} · checksum ${f.checksum}`, `file${i}`);
    if (f.error) {
      for (const [j, l] of wrapText(`${safeText(f.error)} · showing the ${formatCount(f.keys)} keys read before it`, width - 12).entries()) {
        out.push(line(`err${i}-${j}`, `${j === 0 ? '  ⚠ ' : '    '}${l}`, { color: theme.error }));
      }
    }
  }
  const dbs = ex.index.slices.map((x) => x.db);
  field(
    'Keys',
    `${formatCount(s.keys)} in ${dbs.length === 0 ? 'no database' : `db ${dbs.join(', ')}`} · ${formatCount(s.expires)} with a TTL · ${formatCount(s.expiredKeys)} already expired (${formatBytes(s.expiredBytes)})`,
  );
  const used = rep ? rep.usedMemory : s.usedMemory;
  field(
    'Memory',
    `${used !== null ? `est. used_memory ${formatBytes(used)} · ` : ''}keys (MEMORY USAGE) ${formatBytes(s.bytes)} · key names ${formatBytes(s.keyNameBytes)}${s.unknownSize > 0 ? ` · ${formatCount(s.unknownSize)} module keys of unknown size` : ''}`,
  );
  out.push(line('sp1', ''));
  if (s.stats) {
    const when = rep ? 'as of the last index' : 'right after loading';
    out.push(line('stats-title', `MEMORY STATS (estimated for ${s.files[0]?.profile ?? 'the server'} ${when})`, { bold: true, color: theme.accent }));
    const shown = new Map(s.stats.fields.map(([n, v]) => [n, v]));
    const names = STATS_HIGHLIGHTS.filter((n) => shown.has(n));
    const colWidth = Math.floor((width - 2) / 2);
    for (let i = 0; i < names.length; i += 2) {
      const cell = (n: string | undefined) =>
        n === undefined ? '' : `${n.padEnd(20)} ${statsValueText(n, shown.get(n)!)}`.slice(0, colWidth - 1).padEnd(colWidth);
      out.push(line(`stats-${i}`, '  ' + cell(names[i]) + cell(names[i + 1])));
    }
    for (const [n, v] of s.stats.fields) {
      if (/^db\.\d+$/.test(n)) out.push(line(`stats-${n}`, `  ${n.padEnd(20)} ${statsValueText(n, v)}`));
    }
    out.push(line('sp2', ''));
  } else if (s.statsError) {
    out.push(line('stats-err', `MEMORY STATS unavailable: ${safeText(s.statsError)}`, { color: theme.muted }));
    out.push(line('sp2', ''));
  }
  out.push(...barLines('type', 'Memory by type', s.byType, s.bytes, width, (n) => TYPE_COLORS[n as ValueType] ?? theme.bar));
  out.push(line('sp3', ''));
  out.push(...barLines('enc', 'Memory by encoding', s.byEncoding, s.bytes, width, (n) => TYPE_COLORS[n.split('/')[0] as ValueType] ?? theme.bar));
  return out;
}

export interface OverviewProps {
  lines: readonly ScrollLine[];
  offset: number;
  height: number;
}

export function Overview({ lines, offset, height }: OverviewProps) {
  return (
    <Box flexDirection="column" height={height}>
      <ScrollView lines={lines} offset={offset} height={height} />
    </Box>
  );
}
