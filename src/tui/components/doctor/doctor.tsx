/**
 * Doctor: MEMORY DOCTOR's advice, quantified: each tip with the memory it would save (or the
 * memory at stake, for advice about latency or retention), and the selected tip's explanation
 * and figures below the list.
 */
import { Box, Text } from 'ink';
import type { DoctorReport, DoctorTip } from '../../data/doctor-source.js';
import { formatBytes, formatPercent, safeText } from '../../data/format.js';
import { wrapText } from '../scroll-view/index.js';
import { Table, type Column, type TableHandle } from '../table/index.js';
import { theme } from '../../theme.js';

export interface DoctorProps {
  report: DoctorReport | null;
  error: string | null;
  tips: readonly DoctorTip[];
  table: TableHandle;
  /** estimated used_memory (else the keys' bytes), for the share a saving is of it */
  totalBytes: number;
  width: number;
  height: number;
}

/** Rows of the tip list that fit above the detail. */
export function doctorListRows(height: number, tips: number): number {
  return Math.max(1, Math.min(tips, Math.floor((height - 2) / 2)));
}

export function Doctor({ report, error, tips, table, totalBytes, width, height }: DoctorProps) {
  if (!report) {
    return (
      <Box height={height}>
        <Text color={theme.muted}>MEMORY DOCTOR unavailable{error ? `: ${safeText(error)}` : ''}</Text>
      </Box>
    );
  }
  if (tips.length === 0) {
    const lines = wrapText(safeText(report.text || 'Sam, I have no memory problems.'), width - 1).slice(0, height);
    return (
      <Box flexDirection="column" height={height}>
        {lines.map((l, i) => (
          <Text key={i} wrap="truncate-end">
            {l || ' '}
          </Text>
        ))}
      </Box>
    );
  }
  const listRows = doctorListRows(height, tips.length);
  const columns: Column<DoctorTip>[] = [
    { key: 'title', header: `advice (${tips.length})`, grow: 1, renderCell: (t) => safeText(t.title) },
    { key: 'kind', header: '', width: 10, renderCell: (t) => (t.kind === 'saving' ? 'saves' : 'at stake') },
    { key: 'bytes', header: 'memory', width: 11, align: 'right', renderCell: (t) => formatBytes(t.bytes) },
    { key: 'share', header: 'share', width: 8, align: 'right', renderCell: (t) => (totalBytes > 0 ? formatPercent(t.bytes / totalBytes) : '-') },
  ];
  const { cursor, offset } = table.state;
  const tip = tips[cursor];
  const detailHeight = Math.max(0, height - listRows - 2);
  const detail = tip ? wrapText(tip.lines.map(safeText).join('\n'), width - 1) : [];
  return (
    <Box flexDirection="column" height={height}>
      <Table columns={columns} rows={tips.slice(offset, offset + listRows)} selected={cursor - offset} rowKey={(_, i) => offset + i} height={listRows + 1} />
      <Box height={1}>
        <Text color={theme.muted}>{'─'.repeat(Math.max(0, width - 1))}</Text>
      </Box>
      <Box flexDirection="column" height={detailHeight} overflow="hidden">
        {detail.slice(0, detailHeight).map((l, i) => (
          <Text key={i} wrap="truncate-end">
            {l || ' '}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
