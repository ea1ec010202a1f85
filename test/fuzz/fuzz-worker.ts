/**
 * Runs fuzz cases in a worker so that the parent can stop a case that hangs.
 * Receives { file, seeds }, posts { seed, ok | code | crash } per case.
 */
import { parentPort } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { RdbParser, RdbError } from '../../src/rdb/index.js';
import { mutate } from './mutate.js';

parentPort!.on('message', (msg: { file: string; seeds: number[] }) => {
  const input = readFileSync(msg.file);
  for (const seed of msg.seeds) {
    parentPort!.postMessage({ seed, started: true });
    const { bytes, what } = mutate(input, seed);
    let result: { ok?: true; code?: string; crash?: string } = {};
    for (const values of [false, true]) {
      const p = new RdbParser({ values, totalSize: seed % 3 === 0 ? undefined : bytes.length, onRecord: () => {} });
      try {
        const step = 1 + (seed % 4096);
        for (let i = 0; i < bytes.length; i += step) p.write(bytes.subarray(i, i + step));
        p.end();
        result = { ok: true };
      } catch (e) {
        if (e instanceof RdbError) result = { code: e.code };
        else {
          result = { crash: `${(e as Error)?.stack ?? String(e)}` };
          break;
        }
      }
    }
    parentPort!.postMessage({ seed, what, ...result });
  }
  parentPort!.postMessage({ done: true });
});
