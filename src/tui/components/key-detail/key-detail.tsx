/**
 * Key detail: type, encoding, TTL, MEMORY USAGE and its breakdown, element count, the largest
 * element and the first elements, read from the dump by offset.
 */
import { Box, Text } from 'ink';
import type { Explorer } from '../../data/explorer.js';
import type { KeyDetail } from '../../data/key-detail.js';
import { formatBytes, formatCount, formatTtl, isoTime, safeText, terminalText } from '../../data/format.js';
import { line, ScrollView, type ScrollLine } from '../scroll-view/index.js';
import { theme, TYPE_COLORS } from '../../theme.js';
import type { ValueType } from '../../../rdb/index.js';
import type { KeyDetailState } from './use-key-detail-state.js';

const ELEMENT_NAMES: Record<string, string> = { list: 'elements', set: 'members', zset: 'members', hash: 'fields', stream: 'entries', string: 'bytes', module: 'elements' };

function field(key: string, label: string, value: string, color?: string): ScrollLine {
  return {
    key,
    node: (
      <Text wrap="truncate-end">
        <Text bold>{label.padEnd(14)}</Text>
        <Text color={color}>{value}</Text>
      </Text>
    ),
  };
}

/** The detail's lines for a width. */
export function keyDetailLines(ex: Explorer, d: KeyDetail, width: number): ScrollLine[] {
  const mode = ex.options.escape;
  const now = ex.options.now;
  const m = d.memory;
  const out: ScrollLine[] = [];
  out.push(field('key', 'Key', `${terminalText(d.key, mode)}`, theme.accent));
  out.push(field('where', 'Database', d.offset >= 0 ? `db ${d.db} · ${safeText(d.file)} at byte ${formatCount(d.offset)}` : `db ${d.db} · ${safeText(d.file)}`));
  out.push(field('type', 'Type', `${d.type} · encoding ${m.encoding}${d.fileEncoding !== m.encoding ? ` (in the dump: ${d.fileEncoding})` : ''}`, TYPE_COLORS[d.type as ValueType]));
  out.push(field('ttl', 'TTL', d.expireAt < 0 ? 'none (persistent)' : `${formatTtl(d.expireAt, now)} · expires ${isoTime(d.expireAt)}`));
  out.push(field('mem', 'MEMORY USAGE', m.unknown ? `unknown (module value; ${formatCount(m.bytes)} B known)` : `${formatBytes(m.bytes)} (${formatCount(m.bytes)} bytes)`));
  const b = m.breakdown;
  out.push(line('mem2', `${''.padEnd(14)}key name ${formatCount(b.key)} B · object ${formatCount(b.object)} B · dict entry ${formatCount(b.entryOverhead)} B · value ${formatCount(b.payload)} B`, { dim: true }));
  const noun = ELEMENT_NAMES[d.type] ?? 'elements';
  const longest = d.type !== 'string' && d.maxElementLength > 0 ? ` · longest ${formatCount(d.maxElementLength)} B` : '';
  out.push(field('len', 'Length', `${formatCount(d.length)} ${noun}${longest}`));
  if (d.largest && d.type !== 'string') {
    const l = d.largest;
    out.push(field('largest', 'Largest', `${formatCount(l.bytes)} B: ${l.label ? l.label + '  ' : ''}${l.text}`));
  }
  if (d.idle >= 0) out.push(field('idle', 'LRU idle', `${formatCount(d.idle)} s`));
  if (d.freq >= 0) out.push(field('freq', 'LFU counter', String(d.freq)));
  for (const [i, n] of d.notes.entries()) out.push(line(`note${i}`, `${''.padEnd(14)}${n}`, { dim: true }));
  out.push(line('sp', ''));
  if (d.type === 'string') {
    out.push(line('vt', 'Value', { bold: true, color: theme.accent }));
    const text = d.elements[0]?.text ?? '';
    const w = Math.max(10, width - 3);
    const chunks = Math.min(50, Math.ceil(text.length / w));
    for (let i = 0; i < chunks; i++) out.push(line(`v${i}`, '  ' + text.slice(i * w, (i + 1) * w)));
  } else if (d.elements.length > 0) {
    out.push(line('et', `First ${noun} (${formatCount(d.elements.length)} of ${formatCount(d.elementCount)})`, { bold: true, color: theme.accent }));
    const labelWidth = Math.min(28, Math.max(0, ...d.elements.map((e) => e.label.length)));
    for (const [i, e] of d.elements.entries()) {
      out.push({
        key: `e${i}`,
        node: (
          <Text wrap="truncate-end">
            {'  '}
            {labelWidth > 0 && <Text color={theme.muted}>{(e.label.length > labelWidth ? e.label.slice(0, labelWidth - 1) + '…' : e.label).padEnd(labelWidth)} </Text>}
            {e.text}
          </Text>
        ),
      });
    }
  }
  return out;
}

export interface KeyDetailViewProps {
  state: KeyDetailState;
  lines: readonly ScrollLine[];
  offset: number;
  height: number;
}

export function KeyDetailView({ state, lines, offset, height }: KeyDetailViewProps) {
  if (state.status === 'loading' || state.status === 'none') {
    return (
      <Box height={height}>
        <Text color={theme.muted}>Reading the key from the dump…</Text>
      </Box>
    );
  }
  if (state.status === 'failed') {
    return (
      <Box height={height}>
        <Text color={theme.error}>Could not read the key: {safeText(state.error)}</Text>
      </Box>
    );
  }
  return <ScrollView lines={lines} offset={offset} height={height} />;
}
