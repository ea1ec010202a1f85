/**
 * Prefixes: the prefix tree a level at a time. Each row: keys, memory, a bar of its share of the
 * level, and the share of its memory held by keys without a TTL (what expiry will never free).
 */
import { Box, Text } from 'ink';
import { formatBytes, formatCount, formatPercent, safeText } from '../../data/format.js';
import type { EscapeMode } from '../../../report/escape.js';
import { terminalText } from '../../data/format.js';
import { Bar } from '../bar/index.js';
import { Table, type Column } from '../table/index.js';
import { theme } from '../../theme.js';
import type { PrefixesHandle, PrefixRow, PrefixSort } from './use-prefixes-state.js';

export function rowLabel(row: PrefixRow, mode: EscapeMode): string {
  if (row.kind === 'other') return '(other prefixes: tree full)';
  if (row.kind === 'rest') return '(keys with no deeper prefix)';
  return terminalText(row.node!.prefix, mode) + (row.node!.children.size > 0 ? ' ▸' : '');
}

function prefixColumns(width: number, levelBytes: number, mode: EscapeMode): Column<PrefixRow>[] {
  const barWidth = width >= 100 ? 20 : width >= 70 ? 10 : 5;
  return [
    { key: 'prefix', header: 'prefix', grow: 1, renderCell: (r) => rowLabel(r, mode) },
    { key: 'keys', header: 'keys', width: 11, align: 'right', renderCell: (r) => formatCount(r.keys) },
    { key: 'bytes', header: 'memory', width: 11, align: 'right', renderCell: (r) => formatBytes(r.bytes) },
    {
      key: 'share',
      header: 'share',
      width: barWidth + 8,
      renderCell: (r) => (
        <Text>
          <Bar fraction={levelBytes > 0 ? r.bytes / levelBytes : 0} width={barWidth} />
          {formatPercent(levelBytes > 0 ? r.bytes / levelBytes : 0).padStart(6)}
        </Text>
      ),
    },
    { key: 'nottl', header: 'no TTL', width: 8, align: 'right', renderCell: (r) => formatPercent(r.bytes > 0 ? r.bytesNoTtl / r.bytes : r.keys > 0 ? r.keysNoTtl / r.keys : NaN) },
  ];
}

const SORT_COLUMN: Record<PrefixSort, string> = { bytes: 'bytes', keys: 'keys', name: 'prefix' };

export interface PrefixesProps {
  state: PrefixesHandle;
  mode: EscapeMode;
  width: number;
  height: number;
  separators: string;
  depth: number;
  filtered: boolean;
}

export function Prefixes({ state, mode, width, height, separators, depth, filtered }: PrefixesProps) {
  const { node, rows, table } = state;
  const where = node.depth === 0 ? '(all keys)' : terminalText(node.prefix, mode);
  const visible = rows.slice(table.offset, table.offset + state.shape.pageSize);
  return (
    <Box flexDirection="column" height={height}>
      <Box height={1}>
        <Text wrap="truncate-start">
          <Text bold>{where}</Text> {formatCount(node.keys)} keys, {formatBytes(node.bytes)}
          <Text color={theme.muted}>
            {' '}
            · level {node.depth}/{depth} · separators {safeText(JSON.stringify(separators))}
            {filtered ? ' · filtered' : ''}
          </Text>
        </Text>
      </Box>
      {rows.length === 0 ? (
        <Text color={theme.muted}>No key here.</Text>
      ) : (
        <Table
          columns={prefixColumns(width, node.bytes, mode)}
          rows={visible}
          selected={table.cursor - table.offset}
          rowKey={(r, i) => (r.kind === 'prefix' ? 'p' + r.segment : r.kind + i)}
          headerMark={{ [SORT_COLUMN[state.state.sort]]: state.state.reversed ? ' ▲' : ' ▼' }}
          height={height - 1}
        />
      )}
    </Box>
  );
}
