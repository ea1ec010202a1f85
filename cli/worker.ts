/**
 * Worker thread entry: runs analysis jobs (cli/job.ts) one at a time as the main thread hands
 * them out. CSV text goes back in batches; when the main thread has more than FLOW_LIMIT
 * characters of it not yet written, this thread blocks (Atomics.wait) until it catches up, so
 * memory stays bounded however slow the output is.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runJob } from './job.js';
import { reviveSpec } from './options.js';
import { FLOW_ABORT, FLOW_INFLIGHT, FLOW_LIMIT, failData, type FromWorker, type ToWorker } from './protocol.js';
import { analysisData, errorData } from './transfer.js';
import { setSourceNotes } from '../src/source/parse.js';

/** Progress messages at most this often (ms). */
const PROGRESS_EVERY = 100;

if (parentPort && (workerData as { rdblensWorker?: boolean } | null)?.rdblensWorker) {
  const port = parentPort;
  const flow = new Int32Array((workerData as { flow: SharedArrayBuffer }).flow);
  const post = (m: FromWorker): void => port.postMessage(m);
  let current = 0;
  // a worker's own stderr may be cut off when it is terminated: notes go through the port
  setSourceNotes((line) => post({ t: 'note', file: current, line }));

  port.on('message', (msg: ToWorker) => {
    if (msg.t !== 'job') return;
    const req = msg.req;
    reviveSpec(req.spec);
    const file = req.slot ?? req.fileIndex;
    current = file;
    let last = 0;
    runJob(req, {
      onProgress: (bytes, keys) => {
        const now = Date.now();
        if (now - last < PROGRESS_EVERY) return;
        last = now;
        post({ t: 'progress', file, bytes, keys });
      },
      onCsv: (data) => {
        // moved, not copied, to the main thread; key rows for a keyspace are copied (LineBatch reuse)
        const n = data.length;
        if (req.format === 'keyspace') port.postMessage({ t: 'csv', file, data } satisfies FromWorker);
        else port.postMessage({ t: 'csv', file, data } satisfies FromWorker, [data.buffer as ArrayBuffer]);
        Atomics.add(flow, FLOW_INFLIGHT, n);
        for (;;) {
          const inflight = Atomics.load(flow, FLOW_INFLIGHT);
          if (inflight <= FLOW_LIMIT || Atomics.load(flow, FLOW_ABORT) !== 0) break;
          Atomics.wait(flow, FLOW_INFLIGHT, inflight, 200);
        }
      },
    }).then(
      (result) =>
        post({
          t: 'done',
          file,
          analysis: result.analysis ? analysisData(result.analysis) : null,
          pass: result.pass ? { ...result.pass, error: errorData(result.pass.error) } : null,
          largest: result.largest,
        }),
      (err: unknown) => post({ t: 'fail', file, error: failData(err) }),
    );
  });
}
