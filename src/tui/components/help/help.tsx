/**
 * `?`: every key, by where it works. Any key closes it.
 */
import { Box, Text } from 'ink';
import { theme } from '../../theme.js';

const SECTIONS: readonly { title: string; keys: readonly [string, string][] }[] = [
  {
    title: 'Views',
    keys: [
      ['1 … 6', 'Overview, Doctor, Top keys, Prefixes, Expiry, Evict'],
      ['Tab / ⇧Tab', 'next / previous view'],
      ['⏎', 'open the selected key, prefix or bucket'],
      ['Esc ⌫ ←', 'back (close the key, go up a prefix)'],
    ],
  },
  {
    title: 'Moving',
    keys: [
      ['↑ ↓  j k', 'one row'],
      ['PgUp PgDn  b Space', 'one page'],
      ['Home End  g G', 'first / last row'],
    ],
  },
  {
    title: 'Everywhere',
    keys: [
      ['/', 'filter keys: a Redis glob (user:*) or /regex/flags; empty clears'],
      ['s  r', 'change the sort / reverse it (Top keys, Prefixes)'],
      ['t', 'Prefixes: show the keys under the selected prefix'],
      ['m  p  x', 'Evict: type a maxmemory (Enter runs), next policy (P: previous), exact order or sampled'],
      ['e', 'export the report as a workbook, .xlsx (the path is shown)'],
      ['E', 'export the current view as CSV (the path is shown)'],
      ['?', 'this help'],
      ['q  Ctrl+C', 'quit'],
    ],
  },
];

export function Help({ height }: { height: number }) {
  const lines: [string, string, boolean][] = [];
  for (const s of SECTIONS) {
    lines.push([s.title, '', true]);
    for (const [k, v] of s.keys) lines.push([k, v, false]);
  }
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      {lines.slice(0, height).map(([k, v, title], i) =>
        title ? (
          <Text key={i} bold color={theme.accent}>
            {k}
          </Text>
        ) : (
          <Box key={i}>
            <Box width={22} flexShrink={0}>
              <Text bold>{'  ' + k}</Text>
            </Box>
            <Text wrap="truncate-end">{v}</Text>
          </Box>
        ),
      )}
    </Box>
  );
}
