/**
 * CRC-64 of a file's first `end` bytes, computed in a worker thread while the main thread parses
 * the same file: on two cores this takes the checksum off the parse's critical path.
 */
import { Worker } from 'node:worker_threads';

// The worker imports crc64 from this module's own folder: .js once built; .ts when running from
// source under tsx, whose loader the worker then registers for itself.
const fromSource = import.meta.url.endsWith('.ts');
const CRC_MODULE = new URL(`./crc64${fromSource ? '.ts' : '.js'}`, import.meta.url).href;
const TSX_API = fromSource ? import.meta.resolve('tsx/esm/api') : null;

const WORKER_SOURCE = `
import { parentPort, workerData } from 'node:worker_threads';
import { openSync, readSync, closeSync } from 'node:fs';
if (workerData.tsxApi) (await import(workerData.tsxApi)).register();
const { Crc64 } = await import(workerData.crcModule);
const crc = new Crc64();
const buf = Buffer.allocUnsafe(1 << 20);
const fd = openSync(workerData.path, 'r');
try {
  let at = 0;
  while (at < workerData.end) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, workerData.end - at), at);
    if (n === 0) break;
    crc.update(buf, 0, n);
    at += n;
  }
  parentPort.postMessage({ crc: crc.value(), bytes: at });
} finally {
  closeSync(fd);
}
`;

/** Start computing the CRC-64 of path[0, end). */
export function fileCrc64(path: string, end: number): { result: Promise<{ crc: bigint; bytes: number }>; cancel: () => void } {
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(WORKER_SOURCE)}`), {
    workerData: { path, end, crcModule: CRC_MODULE, tsxApi: TSX_API },
  });
  const result = new Promise<{ crc: bigint; bytes: number }>((resolve, reject) => {
    worker.once('message', (m: { crc: bigint; bytes: number }) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`CRC worker exited with code ${code}`));
    });
  });
  return { result, cancel: () => void worker.terminate() };
}
