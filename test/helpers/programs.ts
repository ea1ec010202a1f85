/**
 * Real programs the report tests drive (LibreOffice, Chromium): found on the PATH, or the test
 * is skipped, except in CI (CI=true), where a missing program fails the test (.ci/run installs them).
 */
import { execFileSync } from 'node:child_process';

/** The program's path; null when it is not installed and the test may be skipped (not in CI). */
export function findProgram(name: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    if (process.env.CI === 'true') throw new Error(`${name} is not installed: CI needs it (.ci/run installs it)`);
    return null;
  }
}
