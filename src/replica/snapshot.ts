/**
 * One full sync from a primary, analysed as it streams in and then disconnected: what
 * `rdblens report --replicaof` reports. Nothing is written to disk and no value is kept.
 */
import { ReplicaLink, ReplicationError } from './link.js';
import { startAnalysis, type AnalyzeOptions, type DumpAnalysis, type PendingAnalysis } from '../memory/analyze.js';

export interface SnapshotOptions {
  host: string;
  port: number;
  masterauth?: string;
  masteruser?: string;
  analyze?: AnalyzeOptions;
  /** the primary silent this long fails the snapshot (ms, default 60 s) */
  timeoutMs?: number;
  /** RDB bytes read so far, the total when the primary gave it (null: diskless), keys analysed */
  onProgress?: (read: number, total: number | null, keys: number) => void;
  log?: (line: string) => void;
}

/** Take a full sync and resolve with its analysis; a link failure rejects with a ReplicationError. */
export function snapshotAnalysis(o: SnapshotOptions): Promise<DumpAnalysis> {
  return new Promise((resolve, reject) => {
    let pending: PendingAnalysis | null = null;
    let keys = 0;
    let settled = false;
    const link: ReplicaLink = new ReplicaLink(
      { host: o.host, port: o.port, masterauth: o.masterauth, masteruser: o.masteruser, timeoutMs: o.timeoutMs, snapshot: true, log: o.log },
      {
        fullSync: () => {
          const onKey = o.analyze?.onKey;
          pending = startAnalysis(`replication from ${link.name}`, {
            ...o.analyze,
            onKey: (row) => {
              keys++;
              onKey?.(row);
            },
          });
        },
        rdbRecord: (rec) => pending?.onRecord(rec),
        rdbBytes: () => o.onProgress?.(link.rdbRead, link.rdbSize, keys),
        rdbDone: () => {
          settled = true;
          resolve(pending!.finish(null));
        },
        partialSync: () => {},
        command: () => true,
        down: (error) => {
          if (settled) return;
          settled = true;
          reject(error instanceof ReplicationError ? error : new ReplicationError(error ? error.message : 'the primary closed the connection before the RDB was read', link.name));
        },
      },
    );
    link.start();
  });
}
