/**
 * The bottom line: the keys that work here, most specific first.
 */
import { Box, Text } from 'ink';
import { theme } from '../../theme.js';

export interface LegendItem {
  key: string;
  label: string;
}

export function Legend({ items }: { items: readonly LegendItem[] }) {
  return (
    <Box height={1} overflow="hidden">
      <Text wrap="truncate-end">
        {items.map((it, i) => (
          <Text key={it.key + it.label}>
            {i > 0 ? '  ' : ''}
            <Text bold color={theme.accent}>
              {it.key}
            </Text>{' '}
            <Text color={theme.muted}>{it.label}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
