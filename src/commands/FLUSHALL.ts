/**
 * FLUSHALL [ASYNC|SYNC] (flushallCommand / flushAllDataAndResetRDB, db.c 7.0): every db
 * emptied, server.dirty += the keys removed; with save points configured the empty dataset
 * is saved at once (rdbSave, which resets dirty).
 */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { is } from './_util.js';
import { hasSaveParams, rdbSave } from '../instance/save.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length > 2 || (argv.length === 2 && !is(argv[1]!, 'ASYNC') && !is(argv[1]!, 'SYNC'))) throw new ReplyError(ERR.SYNTAX);
  const inst = c.instance;
  inst.tracking.flush(() => {
    for (const db of inst.dbs) {
      inst.dirty += db.ks.size;
      db.flush();
    }
  });
  if (hasSaveParams(inst)) rdbSave(inst);
  c.reply.ok();
}
