/**
 * The RDB corpus beside the repo (../shared/rdb-corpus): file list and ground truth.
 * Tests read it in place. A missing corpus fails the tests: they are the parser's reference.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPUS = process.env.RDB_CORPUS ?? path.resolve(REPO_ROOT, '../shared/rdb-corpus');

export interface ManifestFile {
  rdb: string;
  truth: string;
  kind: string;
  size_bytes: number;
  expected?: { outcome: string; error_kind: string; at_offset: number; complete_keys_before_error: string[] };
}

export type GtBytes = string | { b64: string };

export interface GtKey {
  db: number;
  key_b64: string;
  key?: string;
  type: string;
  encoding: string;
  pexpiretime: number;
  length: number;
  memory_usage?: number | number[];
  memory_usage_by_loader?: Record<string, number | number[]>;
  encoding_by_loader?: Record<string, string>;
  value?: unknown;
}

export interface GroundTruth {
  rdb: string;
  rdb_version: number | null;
  loaded_by: string | null;
  keys?: GtKey[];
  redis_check_rdb?: { exit_code: number; counts: { keys_read: number; expires: number; already_expired: number }; aux: Record<string, string> };
  info_memory?: Record<string, number | string>;
  [k: string]: unknown;
}

export function corpusPath(rel: string): string {
  return path.join(CORPUS, rel);
}

export function assertCorpus(): void {
  if (!existsSync(path.join(CORPUS, 'manifest.json'))) {
    throw new Error(`RDB corpus not found at ${CORPUS}: clone the repo beside ../shared (or set RDB_CORPUS)`);
  }
}

export function manifest(): ManifestFile[] {
  assertCorpus();
  return (JSON.parse(readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as { files: ManifestFile[] }).files;
}

export function groundTruth(f: ManifestFile): GroundTruth {
  const p = path.join(CORPUS, f.truth);
  const raw = readFileSync(p);
  return JSON.parse((p.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as GroundTruth;
}

/** A byte string of the ground truth (JSON text when valid UTF-8, else {b64}). */
export function gtBytes(v: GtBytes): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v.b64, 'base64');
}

/** Identity of a key across dbs. */
export function keyId(db: number, key: Buffer): string {
  return `${db}:${key.toString('base64')}`;
}
