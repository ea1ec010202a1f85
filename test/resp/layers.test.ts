/**
 * The layering of #11: the instance and the command layer know no socket and nothing of the
 * RESP server; the replica link and the TUI reach commands and figures without src/resp; the
 * wire format imports nothing above it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

function check(dirs: string[], forbidden: RegExp, what: string): void {
  const bad: string[] = [];
  for (const d of dirs) for (const f of files(d)) for (const i of imports(f)) if (forbidden.test(i)) bad.push(`${f} imports ${i}`);
  assert.deepEqual(bad, [], what);
}

test('src/instance and src/commands import no socket and nothing of src/resp', () => {
  check(['src/instance', 'src/commands'], /^node:(net|tls|dgram)$|\/resp\//, 'no sockets, no RESP server below it');
});

test('src/replica and src/tui import nothing of src/resp', () => {
  check(['src/replica', 'src/tui'], /\/resp\//, 'commands and figures come from src/commands and src/instance');
});

test('src/protocol imports nothing of the layers above it', () => {
  check(['src/protocol'], /\/(resp|commands|instance|replica|engine)\//, 'the wire format stands alone');
});

test('the checks see imports (a known one is found)', () => {
  assert.ok(imports('src/replica/follower.ts').includes('../commands/dispatch.js'));
  assert.ok(imports('src/resp/client.ts').includes('../commands/context.js'));
});
