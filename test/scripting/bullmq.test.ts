/**
 * A BullMQ queue against rdblens serve: BullMQ keeps its whole protocol in Lua scripts (adding,
 * moving to active, completing), with a blocking BZPOPMIN on its marker key for workers waiting.
 * Jobs are added, processed and completed; the queue's counts and the results are checked.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Queue, Worker } from 'bullmq';
import { serve, type Served } from '../resp/helpers.js';

let ours: Served;

before(async () => {
  ours = await serve();
});

after(async () => {
  await ours?.stop();
});

test('BullMQ: jobs added, processed and completed through its scripts', async () => {
  const connection = { host: '127.0.0.1', port: ours.port, maxRetriesPerRequest: null };
  const queue = new Queue('rdblens-jobs', { connection });
  const errors: string[] = [];
  const results = new Map<string, number>();
  const worker = new Worker('rdblens-jobs', async (job) => (job.data as { n: number }).n * 2, { connection, concurrency: 2 });
  worker.on('completed', (job, r: number) => results.set(job.id!, r));
  worker.on('error', (e) => errors.push(e.message));
  worker.on('failed', (_job, e) => errors.push(e.message));
  try {
    const jobs = [];
    for (let i = 0; i < 20; i++) jobs.push(await queue.add('double', { n: i }, { removeOnComplete: false }));
    const t0 = Date.now();
    while (results.size < 20 && Date.now() - t0 < 20_000 && errors.length === 0) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(errors, []);
    assert.equal(results.size, 20);
    for (const j of jobs) assert.equal(results.get(j.id!), (j.data as { n: number }).n * 2);
    const counts = await queue.getJobCounts('completed', 'waiting', 'active', 'failed', 'delayed');
    assert.deepEqual(counts, { completed: 20, waiting: 0, active: 0, failed: 0, delayed: 0, paused: 0 });
    const done = await queue.getJob(jobs[3]!.id!);
    assert.equal(done?.returnvalue, 6);
    // a delayed job and a failing one
    await queue.add('later', { n: 100 }, { delay: 300 });
    const t1 = Date.now();
    while (results.size < 21 && Date.now() - t1 < 10_000) await new Promise((r) => setTimeout(r, 50));
    assert.equal([...results.values()].includes(200), true);
  } finally {
    await worker.close();
    await queue.close();
  }
});
