/**
 * SAVE, BGSAVE and the final save of SHUTDOWN (rdbSave / rdbSaveBackground, rdb.c 7.0): the
 * instance's keyspace written to `dir`/`dbfilename` as an RDB file redis-server loads. The
 * file is what rdbSaveRio writes: the header with the DUMP payloads' RDB version (10), the
 * AUX fields redis-ver/redis-bits/ctime/used-mem/aof-base, the function libraries, then per
 * non-empty db SELECTDB and RESIZEDB and each key (its expiry, the payload's type byte, the
 * key, the value as createDumpPayload serialises it), EOF and the CRC-64. It goes to
 * temp-<pid>.rdb first and is renamed over the target, as Redis does.
 *
 * BGSAVE has no fork: the snapshot is serialised at once (the writes that follow are not in
 * it, as with a fork) and written to disk asynchronously, INFO rdb_bgsave_in_progress is 1 until
 * it is renamed.
 */
import { writeFileSync, renameSync, unlinkSync } from 'node:fs';
import { writeFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Instance } from './instance.js';
import { configValues } from './config.js';
import { RdbWriter } from '../source/rdb-writer.js';
import { createDumpPayload, DUMP_RDB_VERSION } from '../engine/dump-payload.js';

/** what a save could not do, with the reason rdbSave logs */
export class SaveError extends Error {}

/** the current value of a config (CONFIG GET's view) */
export function configValue(inst: Instance, name: string): string {
  return inst.settings.values(configValues(inst)).get(name) ?? '';
}

/** save points configured (server.saveparamslen > 0) */
export function hasSaveParams(inst: Instance): boolean {
  return configValue(inst, 'save').trim() !== '';
}

/** rdbSaveRio: the whole keyspace as RDB chunks */
export function rdbSnapshot(inst: Instance): Buffer[] {
  const w = new RdbWriter();
  w.header('REDIS', DUMP_RDB_VERSION);
  w.aux('redis-ver', inst.redisVersion());
  w.aux('redis-bits', '64');
  w.aux('ctime', String(Math.floor(Date.now() / 1000)));
  w.aux('used-mem', String(inst.usedMemory()));
  w.aux('aof-base', '0');
  // rdbSaveFunctions: FUNCTION DUMP's payload is the same RDB_OPCODE_FUNCTION2 records + version + CRC
  const fn = inst.scripting.libraries.dump();
  if (fn.length > 10) w.bytes(fn.subarray(0, fn.length - 10));
  inst.dbs.forEach((db, index) => {
    const ks = db.ks;
    if (ks.size === 0) return;
    let expires = 0;
    for (let id = 0; id < ks.idLimit; id++) if (ks.isLive(id) && ks.expireOf(id) >= 0) expires++;
    w.selectDb(index, ks.size, expires);
    const env = db.shared.env;
    for (let id = 0; id < ks.idLimit; id++) {
      if (!ks.isLive(id)) continue;
      const v = db.value(id);
      if (v === null) throw new SaveError(`the value of key "${ks.keyOf(id).toString('latin1').slice(0, 64)}" (db ${index}) is a module type, which rdblens cannot serialise`);
      const payload = createDumpPayload(v, env);
      const at = ks.expireOf(id);
      if (at >= 0) w.expireMs(at);
      w.byte(payload[0]!);
      w.string(ks.keyOf(id));
      w.bytes(payload.subarray(1, payload.length - 10));
    }
  });
  w.eof();
  return w.take();
}

function target(inst: Instance): { file: string; temp: string; dir: string } {
  const dir = configValue(inst, 'dir') || process.cwd();
  return { dir, file: path.resolve(dir, configValue(inst, 'dbfilename') || 'dump.rdb'), temp: path.resolve(dir, `temp-${process.pid}.rdb`) };
}

/** after a save: what rdbSave / backgroundSaveDoneHandler reset */
function saved(inst: Instance, dirtyBefore: number): void {
  inst.dirty = Math.max(0, inst.dirty - dirtyBefore);
  inst.lastSave = Math.floor(Date.now() / 1000);
  inst.persistence.lastStatusOk = true;
}

/** rdbSave: true when written (logged either way, as Redis logs it) */
export function rdbSave(inst: Instance): boolean {
  inst.persistence.saves++;
  const t = target(inst);
  const before = inst.dirty;
  try {
    const chunks = rdbSnapshot(inst);
    writeFileSync(t.temp, Buffer.concat(chunks));
    renameSync(t.temp, t.file);
  } catch (e) {
    if (!(e instanceof SaveError) && typeof (e as NodeJS.ErrnoException).code !== 'string') throw e;
    inst.persistence.lastStatusOk = false;
    inst.log(`Failed saving the RDB file ${t.file} (in server root dir ${t.dir}): ${(e as Error).message}`);
    try {
      unlinkSync(t.temp);
    } catch (u) {
      if ((u as NodeJS.ErrnoException).code !== 'ENOENT') inst.log(`Could not remove ${t.temp}: ${(u as Error).message}`);
    }
    return false;
  }
  inst.log('DB saved on disk');
  saved(inst, before);
  return true;
}

/** rdbSaveBackground: false when a module value stops the snapshot (logged); the write goes on after the reply */
export function rdbSaveBackground(inst: Instance): boolean {
  const p = inst.persistence;
  const t = target(inst);
  let chunks: Buffer[];
  try {
    chunks = rdbSnapshot(inst);
  } catch (e) {
    if (!(e instanceof SaveError)) throw e;
    p.lastStatusOk = false;
    inst.log(`Background saving error: ${e.message}`);
    return false;
  }
  const before = inst.dirty;
  p.saves++;
  p.bgsaveStarted = Date.now();
  inst.log('Background saving started');
  p.bgsave = writeFile(t.temp, chunks)
    .then(() => rename(t.temp, t.file))
    .then(
      () => {
        inst.log('Background saving terminated with success');
        saved(inst, before);
      },
      async (e: Error) => {
        p.lastStatusOk = false;
        inst.log(`Background saving error: ${e.message}`);
        await unlink(t.temp).catch((u: NodeJS.ErrnoException) => {
          if (u.code !== 'ENOENT') inst.log(`Could not remove ${t.temp}: ${u.message}`);
        });
      },
    )
    .finally(() => {
      p.lastBgsaveSecs = Math.round((Date.now() - p.bgsaveStarted) / 1000);
      p.bgsave = null;
    });
  return true;
}
