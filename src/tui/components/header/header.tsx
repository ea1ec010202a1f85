/**
 * The top two lines: what is loaded, the estimated used_memory and the filter in force; then the
 * view tabs with the key that shows each.
 */
import { Box, Text } from 'ink';
import { VIEWS, type ViewId } from '../../hooks/use-app-state.js';
import { theme } from '../../theme.js';

export interface HeaderProps {
  title: string;
  /** right-hand facts: keys, used memory */
  facts: string;
  view: ViewId;
  /** a key detail is open over the view */
  detail: boolean;
  filter: string | null;
  /** the terminal's width: when the tabs and the filter don't fit, inactive tabs show only their key */
  width?: number;
}

export function Header({ title, facts, view, detail, filter, width }: HeaderProps) {
  const full = VIEWS.reduce((n, v) => n + v.key.length + v.title.length + 3, 0) + (detail ? 7 : 0);
  const compact = width !== undefined && filter !== null && full + filter.length + 1 > width;
  return (
    <Box flexDirection="column">
      <Box>
        <Box flexShrink={1} flexGrow={1}>
          <Text wrap="truncate-middle">
            <Text bold color={theme.accent}>
              rdblens
            </Text>{' '}
            {title}
          </Text>
        </Box>
        <Box flexShrink={0} paddingLeft={1}>
          <Text wrap="truncate-end">{facts}</Text>
        </Box>
      </Box>
      <Box>
        <Box flexShrink={0}>
          {VIEWS.map((v) => {
            const active = v.id === view;
            return (
              <Text key={v.id} inverse={active} bold={active} color={active ? theme.accent : undefined}>
                {compact && !active ? ` ${v.key} ` : ` ${v.key} ${v.title} `}
              </Text>
            );
          })}
          {detail && (
            <Text inverse bold color={theme.warning}>
              {' ⏎ Key '}
            </Text>
          )}
        </Box>
        <Box flexGrow={1} flexShrink={1} justifyContent="flex-end" paddingLeft={1}>
          {filter !== null && (
            <Text wrap="truncate-start" color={theme.warning}>
              {filter}
            </Text>
          )}
        </Box>
      </Box>
    </Box>
  );
}
