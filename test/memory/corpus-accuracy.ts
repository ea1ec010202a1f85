/**
 * Compares memoryUsage against the RDB corpus ground truth: every (file, loader) pair the
 * corpus records, every key the loader kept. Shared by test/memory/accuracy.test.ts and
 * scripts/accuracy.ts.
 */
import { parseRdbFile } from '../../src/rdb/index.js';
import type { KeyRecord } from '../../src/rdb/index.js';
import { memoryUsage } from '../../src/memory/usage.js';
import { profile, DEFAULT_CONFIG, type ProfileId, type ServerConfig, type ServerProfile } from '../../src/memory/profiles.js';
import { parseConfigOverrides } from '../../src/memory/config.js';
import { manifest, groundTruth, corpusPath, keyId, type ManifestFile, type GroundTruth } from '../helpers/corpus.js';

/** Corpus server names and the profile modelling each. */
export const LOADER_PROFILE: Record<string, ProfileId> = {
  'redis-5.0.14': 'redis-5.0',
  'redis-6.2.16': 'redis-6.2',
  'redis-7.0.15': 'redis-7.0',
  'redis-7.2.6': 'redis-7.2',
  'valkey-8.0.1': 'valkey-8.0',
  'redis-7.4.1': 'redis-7.4',
  'redis-8.0-m01': 'redis-8.0',
};
export const LOADERS = Object.keys(LOADER_PROFILE);

/** Live keys in the corpus expire in 2027 or later; anything earlier was already expired at load. */
const LOAD_TIME = Date.UTC(2027, 0, 1);

/** Keys a server drops while loading: already expired, and empty collections (7.0+). */
export function droppedOnLoad(r: KeyRecord): boolean {
  if (r.expireAt >= 0 && r.expireAt < LOAD_TIME) return true;
  return r.length === 0 && r.type !== 'string' && r.type !== 'stream';
}

export interface Sample {
  file: string;
  loader: string;
  key: string;
  type: string;
  /** the value's type byte in the dump */
  rdbType: number;
  /** OBJECT ENCODING the loader reported */
  encoding: string;
  predictedEncoding: string;
  predicted: number;
  /** MEMORY USAGE (for skiplists the lowest and highest of the recorded loads) */
  actualMin: number;
  actualMax: number;
  /** the actual value used for totals: the mean of the recorded loads */
  actual: number;
  skiplist: boolean;
  unknown: boolean;
  /** signed error in percent: 0 inside [actualMin, actualMax], else relative to the nearest bound */
  errPct: number;
}

interface Prediction {
  rdbType: number;
  bytes: number;
  encoding: string;
  unknown: boolean;
}

/** A second load some themes record (`extra_load`): the producer again, with non-default options. */
interface ExtraLoad {
  /** e.g. "redis-7.0.15 --list-compress-depth 1" */
  label: string;
  profile: ServerProfile;
}

function extraLoadOf(gt: GroundTruth): ExtraLoad | null {
  const extra = gt.extra_load as { args?: string[]; loaded_by?: string } | undefined;
  if (!extra?.loaded_by || !(extra.loaded_by in LOADER_PROFILE)) return null;
  const args = extra.args ?? [];
  // options the model knows change sizes; others (maxmemory-policy) do not change MEMORY USAGE
  const known: string[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) {
    const name = args[i]!.replace(/^--/, '');
    if (name in DEFAULT_CONFIG) known.push(`${name}=${args[i + 1]}`);
  }
  const overrides: Partial<ServerConfig> = parseConfigOverrides(known);
  return { label: `${extra.loaded_by} ${args.join(' ')}`, profile: profile(LOADER_PROFILE[extra.loaded_by]!, overrides) };
}

function loadersOf(gt: GroundTruth): string[] {
  const out = new Set<string>();
  if (gt.loaded_by) out.add(gt.loaded_by);
  for (const k of gt.keys ?? []) for (const l of Object.keys(k.memory_usage_by_loader ?? {})) out.add(l);
  return [...out].filter((l) => l in LOADER_PROFILE);
}

/** Files of the corpus with ground truth from at least one server. */
export function corpusFiles(): ManifestFile[] {
  return manifest().filter((f) => f.kind !== 'corrupt');
}

/** Every sample of one corpus file. */
export async function samplesOf(f: ManifestFile): Promise<Sample[]> {
  const gt = groundTruth(f);
  if (gt.loaded_by === null || !gt.keys || gt.keys.length === 0) return [];
  const loaders = loadersOf(gt);
  const profiles: ServerProfile[] = loaders.map((l) => profile(LOADER_PROFILE[l]!));
  const extra = extraLoadOf(gt);
  if (extra) profiles.push(extra.profile);
  const predictions = new Map<string, Prediction[]>();
  await parseRdbFile(corpusPath(f.rdb), {
    onRecord: (r) => {
      if (r.kind !== 'key' || droppedOnLoad(r)) return;
      predictions.set(
        keyId(r.db, r.key),
        profiles.map((p) => {
          const m = memoryUsage(r, p);
          return { rdbType: r.rdbType, bytes: m.bytes, encoding: m.encoding, unknown: m.unknown };
        }),
      );
    },
  });
  const out: Sample[] = [];
  for (const k of gt.keys) {
    const id = keyId(k.db, Buffer.from(k.key_b64, 'base64'));
    const preds = predictions.get(id);
    if (!preds) throw new Error(`${f.rdb}: key ${k.key ?? k.key_b64} not parsed`);
    const targets = extra ? [...loaders, extra.label] : loaders;
    targets.forEach((loader, i) => {
      const pred = preds[i]!;
      let mu: number | number[] | undefined;
      let enc: string | undefined;
      if (i === loaders.length) {
        // the extra load records MEMORY USAGE only
        mu = (k as { memory_usage_extra_load?: number | number[] }).memory_usage_extra_load;
        enc = pred.encoding;
      } else {
        mu = loader === gt.loaded_by ? k.memory_usage : k.memory_usage_by_loader?.[loader];
        enc = loader === gt.loaded_by ? k.encoding : k.encoding_by_loader?.[loader];
      }
      if (mu === undefined || enc === undefined) return;
      const values = Array.isArray(mu) ? mu : [mu];
      const actualMin = Math.min(...values);
      const actualMax = Math.max(...values);
      const actual = values.reduce((a, b) => a + b, 0) / values.length;
      const nearest = pred.bytes < actualMin ? actualMin : pred.bytes > actualMax ? actualMax : pred.bytes;
      out.push({
        file: f.rdb,
        loader,
        key: k.key ?? k.key_b64,
        type: k.type,
        rdbType: pred.rdbType,
        encoding: enc,
        predictedEncoding: pred.encoding,
        predicted: pred.bytes,
        actualMin,
        actualMax,
        actual,
        skiplist: Array.isArray(mu),
        unknown: pred.unknown,
        errPct: nearest === 0 ? 0 : ((pred.bytes - nearest) / nearest) * 100,
      });
    });
  }
  return out;
}

/** Every sample of the corpus. */
export async function allSamples(): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const f of corpusFiles()) for (const s of await samplesOf(f)) out.push(s);
  return out;
}

export interface Stats {
  keys: number;
  medianAbsErr: number;
  p99AbsErr: number;
  maxAbsErr: number;
  /**
   * (sum predicted - sum actual) / sum actual, percent. A skiplist key's actual is the value in
   * its recorded range nearest to the prediction: the range is what the server can report.
   */
  totalErr: number;
  encodingMismatches: number;
}

/** Summary of a group of samples. */
export function statsOf(samples: readonly Sample[]): Stats {
  const abs = samples.map((s) => Math.abs(s.errPct)).sort((a, b) => a - b);
  const pick = (q: number) => (abs.length === 0 ? 0 : abs[Math.min(abs.length - 1, Math.ceil(q * abs.length) - 1)]!);
  let pred = 0;
  let act = 0;
  let mism = 0;
  for (const s of samples) {
    pred += s.predicted;
    act += s.skiplist ? Math.min(s.actualMax, Math.max(s.actualMin, s.predicted)) : s.actual;
    if (s.predictedEncoding !== s.encoding) mism++;
  }
  return {
    keys: samples.length,
    medianAbsErr: pick(0.5),
    p99AbsErr: pick(0.99),
    maxAbsErr: abs.length ? abs[abs.length - 1]! : 0,
    totalErr: act === 0 ? 0 : ((pred - act) / act) * 100,
    encodingMismatches: mism,
  };
}

/** Group samples by a key function, keys sorted. */
export function groupBy(samples: readonly Sample[], key: (s: Sample) => string): Map<string, Sample[]> {
  const m = new Map<string, Sample[]>();
  for (const s of samples) {
    const k = key(s);
    let arr = m.get(k);
    if (!arr) m.set(k, (arr = []));
    arr.push(s);
  }
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
