/** SCRIPT LOAD script: compile and cache; its sha */
import type { Context } from './context.js';
import { ScriptCache } from '../scripting/index.js';
import { createFunction } from './_eval.js';

export function handler(c: Context, argv: Buffer[]): void {
  const body = Buffer.from(argv[2]!);
  const sha = ScriptCache.sha(body);
  createFunction(c, sha, body);
  c.reply.bulkStr(sha);
}
