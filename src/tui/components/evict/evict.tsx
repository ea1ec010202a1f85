/**
 * Evict: what a maxmemory limit typed in would evict from a server loaded with the dumps (the
 * same simulation as `rdblens evict`): the limit, policy and mode on the first line, the outcome,
 * what the dump lacks for the policy, then keys and bytes evicted and left by key prefix.
 */
import { Box, Text } from 'ink';
import type { Cell } from '../../../report/table.js';
import { headline } from '../../../report/evict.js';
import { formatBytes, formatCount, formatPercent, terminalText } from '../../data/format.js';
import type { EscapeMode } from '../../../report/escape.js';
import { Table, type Column } from '../table/index.js';
import { theme } from '../../theme.js';
import type { EvictHandle } from './use-evict-state.js';

export interface EvictProps {
  state: EvictHandle;
  /** no dumps to simulate (following a primary) */
  unavailable: string | null;
  mode: EscapeMode;
  width: number;
  height: number;
}

type Row = Cell[];

function columns(mode: EscapeMode): Column<Row>[] {
  const bytes = (v: Cell) => (typeof v === 'number' ? formatBytes(v) : '');
  const count = (v: Cell) => (typeof v === 'number' ? formatCount(v) : '');
  // by_prefix rows: prefix, keys, bytes, evicted keys, evicted bytes, % evicted, keys left, bytes left
  return [
    { key: 'prefix', header: 'prefix', grow: 1, renderCell: (r) => (Buffer.isBuffer(r[0]) ? terminalText(r[0], mode) || '(none)' : String(r[0])) },
    { key: 'keys', header: 'keys', width: 10, align: 'right', renderCell: (r) => count(r[1]!) },
    { key: 'ek', header: 'evicted', width: 10, align: 'right', renderCell: (r) => count(r[3]!) },
    { key: 'eb', header: 'bytes ev.', width: 11, align: 'right', renderCell: (r) => bytes(r[4]!) },
    { key: 'ep', header: '% bytes', width: 8, align: 'right', renderCell: (r) => formatPercent(((r[5] as number) ?? 0) / 100) },
    { key: 'bl', header: 'bytes left', width: 11, align: 'right', renderCell: (r) => bytes(r[7]!) },
  ];
}

export function Evict({ state, unavailable, mode, width, height }: EvictProps) {
  const s = state.state;
  const run = state.run;
  const head = (
    <Box height={1}>
      <Text wrap="truncate-end">
        <Text bold color={theme.accent}>
          maxmemory
        </Text>{' '}
        {s.editing ? (
          <Text>
            {s.text}
            <Text inverse> </Text>
          </Text>
        ) : (
          <Text bold>{s.maxmemory > 0 ? `${formatBytes(s.maxmemory)} (${formatCount(s.maxmemory)})` : '-'}</Text>
        )}
        <Text color={theme.muted}> · </Text>
        {s.policy}
        <Text color={theme.muted}> · </Text>
        {s.mode === 'exact' ? 'exact order' : 'sampled (maxmemory-samples 5)'}
      </Text>
    </Box>
  );
  const lines: { text: string; color?: string }[] = [];
  let table: Row[] = [];
  if (unavailable) lines.push({ text: unavailable, color: theme.muted });
  else if (s.error) lines.push({ text: s.error, color: theme.error });
  else if (run.status === 'idle') lines.push({ text: 'type a limit (100mb, 1.5gb, 500000) and press Enter', color: theme.muted });
  else if (run.status === 'running') lines.push({ text: 'evicting…', color: theme.muted });
  else if (run.status === 'failed') lines.push({ text: `failed: ${run.error}`, color: theme.error });
  else {
    const r = run.result;
    for (const l of headline(r.run, r.summary)) lines.push({ text: l });
    if (r.summary.evictedKeys > 0 || r.other.evictedKeys > 0) {
      lines.push({ text: `${r.other.mode} mode: ${formatCount(r.other.evictedKeys)} keys; ${formatPercent(r.other.overlap)} of these victims among its victims`, color: theme.muted });
    }
    for (const n of r.summary.notes) lines.push({ text: `note: ${n}`, color: theme.warning });
    table = r.summary.tables.find((t) => t.id === 'by_prefix')?.rows ?? [];
  }
  const t = state.table;
  const room = Math.max(1, height - 1 - lines.length);
  const visible = table.slice(t.state.offset, t.state.offset + t.shape.pageSize);
  return (
    <Box flexDirection="column" height={height} width={width}>
      {head}
      {lines.map((l, i) => (
        <Box key={i} height={1}>
          <Text wrap="truncate-end" color={l.color}>
            {l.text}
          </Text>
        </Box>
      ))}
      {table.length > 0 ? <Table columns={columns(mode)} rows={visible} selected={t.state.cursor - t.state.offset} rowKey={(r, i) => `${i}:${String(r[0])}`} height={room} /> : null}
    </Box>
  );
}
