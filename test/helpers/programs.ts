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

/**
 * Debian's /usr/bin/python3 when it has redis-py (package python3-redis); null when either is
 * missing and the test may be skipped (not in CI, where .ci/run installs them).
 */
export function redisPy(): string | null {
  const python = '/usr/bin/python3';
  try {
    execFileSync(python, ['-c', 'import redis'], { stdio: 'ignore' });
    return python;
  } catch {
    if (process.env.CI === 'true') throw new Error(`${python} with redis-py is not installed: CI needs it (.ci/run installs python3-redis)`);
    return null;
  }
}
