/**
 * Colours and glyphs of the explorer, in one place (ink-ui keeps a theme per component; ours is
 * small enough for one).
 */
import type { ValueType } from '../rdb/index.js';

export const theme = {
  accent: 'cyan',
  muted: 'gray',
  warning: 'yellow',
  error: 'red',
  ok: 'green',
  selectedBackground: 'blue',
  selectedText: 'white',
  bar: 'cyan',
  barAlt: 'magenta',
  /** the cursor column of a table row */
  cursor: '›',
} as const;

export const TYPE_COLORS: Record<ValueType, string> = {
  string: 'green',
  list: 'yellow',
  set: 'magenta',
  zset: 'cyan',
  hash: 'blue',
  stream: 'red',
  module: 'gray',
};
