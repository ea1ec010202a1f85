/**
 * A table over the rows that fit: generic columns, each with a fixed width or a share of what is
 * left, and a `renderCell` (as gemini-cli's Table). The caller passes only the visible rows; the
 * selected one gets the cursor mark and the highlight.
 */
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { theme } from '../../theme.js';

export interface Column<T> {
  key: string;
  header: string;
  /** fixed width in cells (padding included) */
  width?: number;
  /** share of the width the fixed columns leave */
  grow?: number;
  align?: 'left' | 'right';
  /** a string (truncated to fit) or any Ink node */
  renderCell: (row: T, selected: boolean) => ReactNode;
}

export interface TableProps<T> {
  columns: readonly Column<T>[];
  /** the visible rows */
  rows: readonly T[];
  /** index in `rows` of the selected row, -1 for none */
  selected: number;
  /** stable key of a row */
  rowKey: (row: T, i: number) => string | number;
  /** header text after a column's title (e.g. the sort mark) */
  headerMark?: Record<string, string>;
  /** lines to fill (rows beyond `rows.length` stay empty) */
  height?: number;
}

function Cell<T>({ col, children, bold, selected }: { col: Column<T>; children: ReactNode; bold?: boolean; selected?: boolean }) {
  const content =
    typeof children === 'string' || typeof children === 'number' ? (
      <Text wrap="truncate-end" bold={bold} color={selected ? theme.selectedText : undefined}>
        {children}
      </Text>
    ) : (
      children
    );
  return (
    <Box
      width={col.width}
      flexGrow={col.grow ?? 0}
      flexShrink={col.width ? 0 : 1}
      flexBasis={col.width ? undefined : 0}
      paddingRight={1}
      justifyContent={col.align === 'right' ? 'flex-end' : 'flex-start'}
      overflow="hidden"
    >
      {content}
    </Box>
  );
}

export function Table<T>({ columns, rows, selected, rowKey, headerMark, height }: TableProps<T>) {
  return (
    <Box flexDirection="column" height={height}>
      <Box flexDirection="row">
        <Box width={2} flexShrink={0} />
        {columns.map((c) => (
          <Cell key={c.key} col={c} bold>
            {c.header + (headerMark?.[c.key] ?? '')}
          </Cell>
        ))}
      </Box>
      {rows.map((row, i) => {
        const isSelected = i === selected;
        return (
          <Box key={rowKey(row, i)} flexDirection="row" backgroundColor={isSelected ? theme.selectedBackground : undefined}>
            <Box width={2} flexShrink={0}>
              <Text color={theme.accent} bold>
                {isSelected ? theme.cursor : ' '}
              </Text>
            </Box>
            {columns.map((c) => (
              <Cell key={c.key} col={c} selected={isSelected}>
                {c.renderCell(row, isSelected)}
              </Cell>
            ))}
          </Box>
        );
      })}
    </Box>
  );
}
