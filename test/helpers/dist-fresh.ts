/** Whether dist/ was built after the last change to src/ (tests that run bin/rdblens.js need that). */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The newest modification time (ms) of any file under `dir`. */
export function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** dist/ is at least as new as src/ (paths relative to the working directory, the repo root). */
export function distIsFresh(): boolean {
  return newestMtime('dist') >= newestMtime('src');
}
