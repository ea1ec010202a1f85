/**
 * `/`: the filter prompt on the status line. Enter applies the pattern (empty clears the
 * filter), Esc cancels, Ctrl+U clears the text.
 */
import { Box, Text } from 'ink';
import { theme } from '../../theme.js';

export interface FilterPromptProps {
  text: string;
}

/** The prompt line (its error, when the pattern is refused, goes on the line below). */
export function FilterPrompt({ text }: FilterPromptProps) {
  return (
    <Box height={1} overflow="hidden">
      <Text wrap="truncate-start">
        <Text bold color={theme.accent}>
          /
        </Text>{' '}
        <Text color={theme.muted}>glob or /regex/:</Text> {text}
        <Text inverse> </Text>
      </Text>
    </Box>
  );
}
