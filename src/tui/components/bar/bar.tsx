/**
 * A horizontal bar of a share, in eighths of a cell: `█████▍    `.
 */
import { Text } from 'ink';
import { theme } from '../../theme.js';

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** The bar's text: `width` cells, the first `fraction` of them filled (at least a sliver when > 0). */
export function barText(fraction: number, width: number): string {
  const w = Math.max(0, Math.floor(width));
  if (w === 0) return '';
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  let eighths = Math.round(f * w * 8);
  if (eighths === 0 && f > 0) eighths = 1;
  const full = Math.floor(eighths / 8);
  const part = EIGHTHS[eighths % 8]!;
  return ('█'.repeat(full) + part).padEnd(w, ' ');
}

export interface BarProps {
  fraction: number;
  width: number;
  color?: string;
}

export function Bar({ fraction, width, color = theme.bar }: BarProps) {
  return <Text color={color}>{barText(fraction, width)}</Text>;
}
