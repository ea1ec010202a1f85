/** LATENCY DOCTOR: the human readable report (createLatencyReport). */
import type { Context } from './context.js';
import { latencyReport } from './_latency.js';

export function handler(c: Context): void {
  c.reply.verbatim(latencyReport(c));
}
