/**
 * Expiry: keys and memory by time left before expiry, each with a bar of its share.
 */
import { Box, Text } from 'ink';
import type { ExpiryBucket, ExpiryTally } from '../../data/expiry.js';
import { formatBytes, formatCount, formatPercent, isoTime } from '../../data/format.js';
import { Bar } from '../bar/index.js';
import { Table, type Column, type TableHandle } from '../table/index.js';
import { theme } from '../../theme.js';

export interface ExpiryProps {
  tally: ExpiryTally;
  state: TableHandle;
  width: number;
  height: number;
  filtered: boolean;
}

function expiryColumns(width: number, keys: number, bytes: number): Column<ExpiryBucket>[] {
  const bar = width >= 100 ? 16 : width >= 76 ? 8 : 4;
  const share = (f: number, color: string) => (
    <Text>
      <Bar fraction={f} width={bar} color={color} />
      {formatPercent(f).padStart(6)}
    </Text>
  );
  return [
    { key: 'label', header: 'time left', width: 17, renderCell: (b) => b.label },
    { key: 'keys', header: 'keys', width: 11, align: 'right', renderCell: (b) => formatCount(b.keys) },
    { key: 'kshare', header: 'of keys', width: bar + 8, renderCell: (b) => share(keys > 0 ? b.keys / keys : 0, theme.bar) },
    { key: 'bytes', header: 'memory', width: 11, align: 'right', renderCell: (b) => formatBytes(b.bytes) },
    { key: 'bshare', header: 'of memory', width: bar + 8, renderCell: (b) => share(bytes > 0 ? b.bytes / bytes : 0, theme.barAlt) },
  ];
}

export function Expiry({ tally, state, width, height, filtered }: ExpiryProps) {
  const buckets = tally.buckets();
  let keys = 0;
  let bytes = 0;
  for (const b of buckets) {
    keys += b.keys;
    bytes += b.bytes;
  }
  const withTtl = keys - buckets[0]!.keys;
  const visible = buckets.slice(state.state.offset, state.state.offset + state.shape.pageSize);
  return (
    <Box flexDirection="column" height={height}>
      <Box height={1}>
        <Text wrap="truncate-end">
          <Text bold>{formatCount(withTtl)}</Text> of {formatCount(keys)} keys have a TTL ({formatBytes(bytes - buckets[0]!.bytes)} of{' '}
          {formatBytes(bytes)})
          <Text color={theme.muted}>
            {' '}
            · time left at {isoTime(tally.now)}
            {filtered ? ' · filtered' : ''}
          </Text>
        </Text>
      </Box>
      <Table
        columns={expiryColumns(width, keys, bytes)}
        rows={visible}
        selected={state.state.cursor - state.state.offset}
        rowKey={(b) => b.label}
        height={height - 1}
      />
    </Box>
  );
}
