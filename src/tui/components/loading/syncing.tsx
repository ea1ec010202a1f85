/**
 * The loading screen when following a primary: the link's state, then the initial full sync
 * (the RDB's bytes read of its size, or the bytes so far for a diskless transfer of unknown
 * size), the keys loaded, and the indexing step.
 */
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { ReplicationStatus } from '../../data/live.js';
import { formatBytes, formatCount, formatDuration, safeText } from '../../data/format.js';
import { barText } from '../bar/index.js';
import { theme } from '../../theme.js';

export interface SyncingProps {
  rep: ReplicationStatus;
  startedAt: number;
  now: number;
  /** fraction of the indexing done, null before it starts */
  indexing: number | null;
  width: number;
}

const STATE_TEXT: Record<string, string> = {
  connecting: 'connecting',
  handshake: 'handshake (PING, AUTH, REPLCONF, PSYNC)',
  'waiting-rdb': 'waiting for the RDB (the primary is saving it)',
  rdb: 'receiving the RDB',
  connected: 'connected',
  down: 'down',
  closed: 'closed',
};

export function Syncing({ rep, startedAt, now, indexing, width }: SyncingProps) {
  const barWidth = Math.max(10, Math.min(60, width - 12));
  const elapsed = Math.max(0, now - startedAt);
  const secs = elapsed / 1000;
  const sync = rep.sync;
  const read = sync?.read ?? 0;
  const size = sync?.size ?? null;
  const rate = secs > 0 && read > 0 ? read / secs : 0;
  let bar: ReactNode = null;
  if (indexing !== null || rep.synced) {
    const f = indexing ?? 1;
    bar = (
      <Text>
        {'Indexing '}
        <Text color={theme.bar}>{barText(f, barWidth)}</Text> {(f * 100).toFixed(0).padStart(3)}%
      </Text>
    );
  } else if (sync && size !== null && size > 0) {
    const f = Math.min(1, read / size);
    bar = (
      <Text>
        {'Syncing  '}
        <Text color={theme.bar}>{barText(f, barWidth)}</Text> {(f * 100).toFixed(0).padStart(3)}%
      </Text>
    );
  }
  const down = rep.link === 'down';
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold color={theme.accent}>
        rdblens: following {safeText(rep.source)}
      </Text>
      <Text> </Text>
      <Text>
        {'link    '}
        <Text color={down ? theme.error : undefined}>{down ? `down, retrying (${STATE_TEXT[rep.state] ?? rep.state})` : (STATE_TEXT[rep.state] ?? rep.state)}</Text>
      </Text>
      {rep.lastError !== '' && (
        <Text color={down ? theme.error : theme.muted} wrap="truncate-end">
          {'error   '}
          {safeText(rep.lastError)}
        </Text>
      )}
      <Text> </Text>
      {bar}
      {bar && <Text> </Text>}
      <Text>
        {'bytes   '}
        {size !== null ? `${formatBytes(read)} of ${formatBytes(size)}` : sync ? `${formatBytes(read)} (diskless: size unknown until the end)` : '-'}
        {rate > 0 ? `  (${formatBytes(rate)}/s)` : ''}
      </Text>
      <Text>
        {'keys    '}
        {formatCount(sync?.keys ?? rep.keys)}
      </Text>
      <Text>
        {'elapsed '}
        {formatDuration(elapsed)}
      </Text>
      <Text> </Text>
      <Text color={theme.muted}>q quits</Text>
    </Box>
  );
}
