/**
 * Top keys: the keys in the chosen order, a page at a time: name, type, size, elements, TTL.
 */
import { Box, Text } from 'ink';
import type { Explorer } from '../../data/explorer.js';
import type { FilterResult } from '../../data/filter.js';
import { SORT_LABELS, type SortField } from '../../data/key-index.js';
import { formatBytes, formatCount, formatTtl, terminalText } from '../../data/format.js';
import type { ValueType } from '../../../rdb/index.js';
import { Table, type Column } from '../table/index.js';
import { theme, TYPE_COLORS } from '../../theme.js';
import type { TopKeysHandle } from './use-top-keys-state.js';

export interface KeyRow {
  rank: number;
  gid: number;
  key: string;
  db: number;
  type: ValueType;
  encoding: string;
  memory: number;
  length: number;
  expireAt: number;
}

/** The visible rows (the only ones whose facts are read). */
export function visibleKeyRows(explorer: Explorer, state: TopKeysHandle): KeyRow[] {
  const rows: KeyRow[] = [];
  const { offset } = state.table;
  const end = Math.min(state.total, offset + state.shape.pageSize);
  for (let r = offset; r < end; r++) {
    const gid = state.gidAt(r);
    const info = explorer.index.info(gid);
    // following a primary, a key deleted since the index was built stays listed until the next
    const gone = explorer.live !== undefined && !explorer.index.isLive(gid);
    rows.push({
      rank: r + 1,
      gid,
      key: terminalText(info.key, explorer.options.escape) + (gone ? ' (deleted)' : ''),
      db: info.db,
      type: gone ? ('-' as ValueType) : info.type,
      encoding: info.encoding,
      memory: info.memory,
      length: info.length,
      expireAt: info.expireAt,
    });
  }
  return rows;
}

const SORT_COLUMN: Record<SortField, string> = { memory: 'memory', elements: 'elements', ttl: 'ttl' };

export function keyColumns(width: number, total: number, multiDb: boolean, now: number): Column<KeyRow>[] {
  const cols: Column<KeyRow>[] = [
    { key: 'rank', header: '#', width: Math.max(3, String(total).length) + 1, align: 'right', renderCell: (r) => String(r.rank) },
    { key: 'key', header: 'key', grow: 1, renderCell: (r) => r.key },
  ];
  if (multiDb) cols.push({ key: 'db', header: 'db', width: 4, align: 'right', renderCell: (r) => String(r.db) });
  cols.push({
    key: 'type',
    header: 'type',
    width: 7,
    renderCell: (r, sel) => <Text color={sel ? undefined : TYPE_COLORS[r.type]}>{r.type}</Text>,
  });
  if (width >= 100) cols.push({ key: 'encoding', header: 'encoding', width: 11, renderCell: (r) => r.encoding });
  cols.push(
    { key: 'memory', header: 'memory', width: 11, align: 'right', renderCell: (r) => (r.memory < 0 ? '?' : formatBytes(r.memory)) },
    { key: 'elements', header: 'elements', width: 11, align: 'right', renderCell: (r) => (r.type === 'string' ? '-' : formatCount(r.length)) },
    { key: 'ttl', header: 'ttl', width: 9, align: 'right', renderCell: (r) => formatTtl(r.expireAt, now) },
  );
  return cols;
}

export interface TopKeysProps {
  explorer: Explorer;
  filter: FilterResult | null;
  state: TopKeysHandle;
  width: number;
  height: number;
}

export function TopKeys({ explorer, filter, state, width, height }: TopKeysProps) {
  const rows = visibleKeyRows(explorer, state);
  const multiDb = explorer.index.slices.length > 1;
  const columns = keyColumns(width, state.total, multiDb, explorer.options.now);
  const mark = { [SORT_COLUMN[state.sort]]: state.reversed ? ' ▲' : ' ▼' };
  const all = explorer.index.size;
  return (
    <Box flexDirection="column" height={height}>
      <Box height={1}>
        <Text wrap="truncate-end">
          <Text bold>{formatCount(state.total)}</Text>
          {filter ? ` of ${formatCount(all)} keys match ${filter.pattern.text} (${formatBytes(filter.bytes)})` : ' keys'}
          <Text color={theme.muted}>
            {' '}
            · by {SORT_LABELS[state.sort]}
            {state.reversed ? ', reversed' : ''}
          </Text>
        </Text>
      </Box>
      {state.total === 0 ? (
        <Text color={theme.muted}>{filter ? 'No key matches the filter.' : 'The dump holds no key.'}</Text>
      ) : (
        <Table
          columns={columns}
          rows={rows}
          selected={state.table.cursor - state.table.offset}
          rowKey={(r) => r.gid}
          headerMark={mark}
          height={height - 1}
        />
      )}
    </Box>
  );
}
