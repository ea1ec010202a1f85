/**
 * Loading dumps and live sources into the engine's keyspaces for `rdblens serve`: a file loads
 * as loadKeyspaces does (values read back from the file by offset); a live source's RDB stream
 * is kept in memory as it is parsed (a MemoryDump, as the replica follower keeps a full sync),
 * so its values read back from there. `LiveRefresher` re-reads on a schedule and swaps the
 * dataset in whole.
 */
import { MemoryDump } from '../engine/dump-store.js';
import { KeyspaceFill, readElsewhere, type LoadedDumps, type LoadOptions } from '../engine/load.js';
import { isLiveUrl } from './url.js';
import { startAnalysis, type DumpAnalysis } from '../memory/analyze.js';
import { RdbError, nameFoundKeys, type RdbRecord } from '../rdb/index.js';
import { stat } from 'node:fs/promises';
import { withSource } from './parse.js';

/** Load every input (paths and source URLs), in order. Corrupt dumps load what they hold. */
export async function loadSources(inputs: readonly string[], opts: LoadOptions = {}): Promise<LoadedDumps> {
  let fill = new KeyspaceFill(opts.filter);
  opts.onFill?.(fill);
  const analyses: DumpAnalysis[] = [];
  const files: string[] = [];
  const sources: (string | MemoryDump)[] = [];
  let done = 0;
  for (const [i, input] of inputs.entries()) {
    let read = 0;
    const onProgress = (bytes: number): void => {
      read = bytes;
      opts.onLoadProgress?.(done + bytes, fill.keys, i, bytes);
    };
    if (inputs.length === 1 && !isLiveUrl(input) && opts.strict !== true) {
      const size = (await stat(input)).size;
      fill.beginFile(size);
      const elsewhere = await readElsewhere(input, i, fill, opts, onProgress);
      if (elsewhere === 'again') {
        fill = new KeyspaceFill(opts.filter);
        opts.onFill?.(fill);
      } else if (elsewhere !== null) {
        fill.endFile();
        done += read;
        analyses.push(elsewhere);
        files.push(input);
        sources.push(input);
        continue;
      }
    }
    await withSource(input, async (src) => {
      fill.beginFile(src.live ? -1 : (await stat(input)).size);
      const dump = src.live ? new MemoryDump(src.name) : null;
      const a = startAnalysis(src.name, {
        ...opts,
        ...(src.live ? { config: { ...src.config, ...opts.config } } : {}),
        fileIndex: i,
        onKey: fill.store,
      });
      // SELECTDB and RESIZEDB size the keyspaces before their keys (KeyspaceFill)
      const onRecord = (r: RdbRecord): void => {
        if (r.kind !== 'key') fill.note(r);
        a.onRecord(r);
      };
      let error: RdbError | null = null;
      try {
        await src.parse({
          onRecord,
          onProgress,
          // the reply buffers are the client library's: keep copies
          ...(dump ? { onChunk: (c: Buffer) => dump.append(Buffer.from(c)) } : {}),
        });
        // the findings name their keys, as analyzeDump's do
        if (!src.live) await nameFoundKeys(input, a.result.integrity);
      } catch (e) {
        if (!(e instanceof RdbError)) throw e;
        error = e;
      }
      fill.endFile();
      done += read;
      analyses.push(a.finish(error));
      files.push(src.name);
      sources.push(dump ?? input);
    });
  }
  return { dbs: fill.dbs, files, sources, analyses };
}

export interface RefreshState {
  /** ms since the epoch of the last completed read (0: none yet) */
  lastRefresh: number;
  /** how long it took, ms */
  lastDuration: number;
  refreshes: number;
  failures: number;
  lastError: string | null;
  running: boolean;
}

/**
 * Re-read the inputs every `intervalMs` (the next read starts that long after the previous one
 * ended) and hand each complete dataset to `swap`. A failed read keeps the dataset as it was.
 */
export class LiveRefresher {
  readonly state: RefreshState = { lastRefresh: 0, lastDuration: 0, refreshes: 0, failures: 0, lastError: null, running: false };
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly inputs: readonly string[],
    private readonly opts: LoadOptions,
    private readonly intervalMs: number,
    private readonly swap: (loaded: LoadedDumps) => void,
    private readonly log: (line: string) => void,
  ) {}

  /** The first load happened at `at` (startServe's own). */
  start(at: number, duration: number): void {
    this.state.lastRefresh = at;
    this.state.lastDuration = duration;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.intervalMs <= 0) return;
    this.timer = setTimeout(() => void this.refresh(), this.intervalMs);
    this.timer.unref();
  }

  /** One read now (also called by the timer); resolves when it is swapped in or has failed. */
  async refresh(): Promise<void> {
    if (this.state.running || this.stopped) return;
    this.state.running = true;
    const t0 = Date.now();
    try {
      const loaded = await loadSources(this.inputs, this.opts);
      if (this.stopped) return;
      this.swap(loaded);
      this.state.lastRefresh = Date.now();
      this.state.lastDuration = this.state.lastRefresh - t0;
      this.state.refreshes++;
      this.state.lastError = null;
      const keys = [...loaded.dbs.values()].reduce((s, k) => s + k.size, 0);
      this.log(`refreshed: ${keys} keys from ${loaded.files.join(', ')} in ${this.state.lastDuration} ms`);
    } catch (err) {
      this.state.failures++;
      this.state.lastError = err instanceof Error ? err.message : String(err);
      this.log(`refresh failed (keeping the previous data): ${this.state.lastError}`);
    } finally {
      this.state.running = false;
      this.schedule();
    }
  }

  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
