/**
 * What the loading screen shows, derived from the loader's progress: fraction, rates, ETA.
 */
import type { LoadProgress } from '../../data/explorer.js';

export interface LoadingFigures {
  /** 0..1 of the bytes read (reading) or of the indexing */
  fraction: number;
  keysPerSecond: number;
  bytesPerSecond: number;
  /** null until there is a rate to go by */
  etaMs: number | null;
  elapsedMs: number;
}

export function loadingFigures(p: LoadProgress, startedAt: number, now: number): LoadingFigures {
  const elapsedMs = Math.max(0, now - startedAt);
  const secs = elapsedMs / 1000;
  const fraction = p.phase === 'indexing' ? p.indexed : p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
  const bytesPerSecond = secs > 0 ? p.bytesRead / secs : 0;
  const keysPerSecond = secs > 0 ? p.keys / secs : 0;
  let etaMs: number | null = null;
  if (p.phase === 'reading' && bytesPerSecond > 0 && secs >= 0.2) etaMs = ((p.totalBytes - p.bytesRead) / bytesPerSecond) * 1000;
  return { fraction, keysPerSecond, bytesPerSecond, etaMs, elapsedMs };
}
