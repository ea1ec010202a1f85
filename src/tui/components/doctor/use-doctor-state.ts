/**
 * Doctor: the table position over the advice, largest saving first.
 */
import { useMemo } from 'react';
import type { DoctorReport, DoctorTip } from '../../data/doctor-source.js';
import { useTableState, type TableHandle } from '../table/index.js';

/** The tips: savings first, largest first; then what is at stake (latency, retention). */
export function sortedTips(report: DoctorReport | null): DoctorTip[] {
  if (!report) return [];
  return report.tips
    .map((t, i) => ({ t, i }))
    .sort((a, b) => (a.t.kind === b.t.kind ? 0 : a.t.kind === 'saving' ? -1 : 1) || b.t.bytes - a.t.bytes || a.i - b.i)
    .map((x) => x.t);
}

export function useDoctorState(report: DoctorReport | null, pageSize: number): { tips: DoctorTip[]; table: TableHandle } {
  const tips = useMemo(() => sortedTips(report), [report]);
  const table = useTableState({ total: tips.length, pageSize });
  return { tips, table };
}
