/**
 * The loading screen: a progress bar over the bytes of the dumps, the keys read with their rate,
 * the ETA, then the indexing step.
 */
import { Box, Text } from 'ink';
import type { LoadProgress } from '../../data/explorer.js';
import { formatBytes, formatCount, formatDuration } from '../../data/format.js';
import { barText } from '../bar/index.js';
import { theme } from '../../theme.js';
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
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold color={theme.accent}>
        rdblens: loading {files.length === 1 ? files[0] : `${files.length} dumps`}
      </Text>
      <Text> </Text>
      <Text>
        {label.padEnd(9)}
        <Text color={theme.bar}>{barText(f.fraction, barWidth)}</Text> {(f.fraction * 100).toFixed(0).padStart(3)}%
      </Text>
      <Text> </Text>
      <Text>
        bytes   {formatBytes(progress.bytesRead)} of {formatBytes(progress.totalBytes)}
        {f.bytesPerSecond > 0 ? `  (${formatBytes(f.bytesPerSecond)}/s)` : ''}
      </Text>
      <Text>
        keys    {formatCount(progress.keys)}
        {f.keysPerSecond > 0 ? `  (${formatCount(f.keysPerSecond)} keys/s)` : ''}
      </Text>
      <Text>
        elapsed {formatDuration(f.elapsedMs)}
        {f.etaMs !== null ? `  ETA ${formatDuration(f.etaMs)}` : ''}
      </Text>
      <Text> </Text>
      <Text color={theme.muted}>q quits</Text>
    </Box>
  );
}
