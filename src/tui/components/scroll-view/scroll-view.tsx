/**
 * Lines of content with a scroll position: renders only the lines that fit, and a `↑ more` /
 * `↓ more` mark when some are hidden.
 */
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { theme } from '../../theme.js';

export interface ScrollLine {
  key: string;
  node: ReactNode;
}

export interface ScrollViewProps {
  lines: readonly ScrollLine[];
  offset: number;
  height: number;
}

export function ScrollView({ lines, offset, height }: ScrollViewProps) {
  const h = Math.max(1, height);
  const more = lines.length > h;
  const room = scrollRoom(lines.length, h);
  const visible = lines.slice(offset, offset + room);
  return (
    <Box flexDirection="column" height={h}>
      {visible.map((l) => (
        <Box key={l.key} height={1} overflow="hidden">
          {l.node}
        </Box>
      ))}
      {more && (
        <Box height={1} marginTop={Math.max(0, room - visible.length)}>
          <Text color={theme.muted}>
            {offset > 0 ? '↑ ' : '  '}
            {offset + room < lines.length ? '↓ ' : '  '}
            lines {offset + 1}-{Math.min(lines.length, offset + room)} of {lines.length}
          </Text>
        </Box>
      )}
    </Box>
  );
}

/** Lines of content that fit in `height` (one is kept for the position mark when not all fit). */
export function scrollRoom(total: number, height: number): number {
  const h = Math.max(1, height);
  return total > h ? Math.max(1, h - 1) : h;
}

/** A one-line text node (truncated to the width). */
export function line(key: string, text: string, props: { color?: string; bold?: boolean; dim?: boolean } = {}): ScrollLine {
  return {
    key,
    node: (
      <Text wrap="truncate-end" color={props.color} bold={props.bold} dimColor={props.dim}>
        {text === '' ? ' ' : text}
      </Text>
    ),
  };
}

/** Split text into lines of at most `width` characters at spaces (for wrapped paragraphs). */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  const w = Math.max(10, width);
  for (const para of text.split('\n')) {
    if (para.length <= w) {
      out.push(para);
      continue;
    }
    const indent = /^\s*/.exec(para)![0];
    let cur = '';
    for (const word of para.trim().split(/\s+/)) {
      if (cur.length > 0 && cur.length + 1 + word.length > w) {
        out.push(cur);
        cur = indent + word;
      } else cur = cur.length === 0 ? indent + word : `${cur} ${word}`;
    }
    if (cur.length > 0) out.push(cur);
  }
  return out;
}
