#!/usr/bin/env node
// Launcher for the compiled CLI (cli/rdblens.ts -> dist/cli/rdblens.js, built by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/rdblens.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('rdblens: dist/cli/rdblens.js is missing: run `npm run build` (or `npm ci`, which builds) in the rdblens checkout\n');
  process.exit(1);
}
await import(entry.href);
