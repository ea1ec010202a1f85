/**
 * The loading screen: the Overview as it accrues while the dumps load (the view tabs with
 * Overview on, a progress bar over the bytes of the dumps, the keys read with their rate and the
 * ETA, then what the keys read so far add up to: databases, TTLs, MEMORY USAGE, memory by
 * type), then the indexing step. MEMORY STATS and the estimated used_memory come once the dumps
 * are read (they need every key).
 */
import { Box, Text } from 'ink';
import type { LoadProgress } from '../../data/explorer.js';
import { formatBytes, formatCount, formatDuration, safeText } from '../../data/format.js';
import { barText } from '../bar/index.js';
import { theme, TYPE_COLORS } from '../../theme.js';
import type { ValueType } from '../../../rdb/index.js';
import { Header } from '../header/index.js';
import { barLines } from '../overview/overview.js';
import { loadingFigures } from './use-loading-state.js';

export interface LoadingProps {
  files: readonly string[];
  progress: LoadProgress;
  startedAt: number;
  now: number;
  width: number;
}

export function Loading({ files, progress, startedAt, now, width }: LoadingProps) {
  const f = loadingFigures(progress, startedAt, now);
  const barWidth = Math.max(10, Math.min(60, width - 12));
  const label = progress.phase === 'reading' ? 'Reading' : 'Indexing';
  const sofar = progress.sofar;
  const name = files.length === 1 ? files[0]! : `${files.length} dumps`;
  const facts = `${formatCount(progress.keys)} keys${progress.phase === 'reading' ? ' so far' : ''}`;
  return (
    <Box flexDirection="column">
      <Header title={`loading ${safeText(name)}`} facts={facts} view="overview" detail={false} filter={null} width={width} />
      <Box flexDirection="column" paddingX={1}>
        <Text> </Text>
        <Text>
          {label.padEnd(10)}
          <Text color={theme.bar}>{barText(f.fraction, barWidth)}</Text> {(f.fraction * 100).toFixed(0).padStart(3)}%
        </Text>
        <Text wrap="truncate-end">
          <Text bold>{'Read'.padEnd(10)}</Text>
          {formatBytes(progress.bytesRead)} of {formatBytes(progress.totalBytes)}
          {f.bytesPerSecond > 0 ? ` (${formatBytes(f.bytesPerSecond)}/s)` : ''} · {formatCount(progress.keys)} keys
          {f.keysPerSecond > 0 ? ` (${formatCount(f.keysPerSecond)} keys/s)` : ''} · elapsed {formatDuration(f.elapsedMs)}
          {f.etaMs !== null ? ` · ETA ${formatDuration(f.etaMs)}` : ''}
        </Text>
        {sofar && (
          <>
            <Text wrap="truncate-end">
              <Text bold>{'Keys'.padEnd(10)}</Text>
              {formatCount(progress.keys)} in {sofar.dbs.length === 0 ? 'no database yet' : `db ${sofar.dbs.join(', ')}`} · {formatCount(sofar.expires)} with a TTL
            </Text>
            <Text wrap="truncate-end">
              <Text bold>{'Memory'.padEnd(10)}</Text>
              keys (MEMORY USAGE) {formatBytes(sofar.bytes)} so far · the server estimate once every key is read
            </Text>
            <Text> </Text>
            {barLines('type', 'Memory by type (so far)', sofar.byType, sofar.bytes, width - 2, (n) => TYPE_COLORS[n as ValueType] ?? theme.bar).map((l) => (
              <Box key={l.key}>{l.node}</Box>
            ))}
          </>
        )}
        <Text> </Text>
        <Text color={theme.muted}>q quits</Text>
      </Box>
    </Box>
  );
}
