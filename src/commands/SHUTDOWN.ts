/**
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] (shutdownCommand, db.c; prepareForShutdown /
 * finishShutdown, server.c 7.0). With save points configured (CONFIG SET save) and no NOSAVE,
 * or with SAVE, the keyspace is saved first (src/instance/save.ts); a failed save stops the
 * shutdown unless FORCE. Then the server closes every connection and stops listening, and
 * `rdblens serve` exits. There are no replicas to wait for, so NOW changes nothing and a
 * shutdown is never in progress for ABORT to cancel.
 */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { is } from './_util.js';
import { hasSaveParams, rdbSave } from '../instance/save.js';

export function handler(c: Context, argv: Buffer[]): void {
  let nosave = false;
  let save = false;
  let force = false;
  let flags = false;
  let abort = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (is(a, 'NOSAVE')) nosave = flags = true;
    else if (is(a, 'SAVE')) save = flags = true;
    else if (is(a, 'NOW')) flags = true;
    else if (is(a, 'FORCE')) force = flags = true;
    else if (is(a, 'ABORT')) abort = true;
    else throw new ReplyError(ERR.SYNTAX);
  }
  if ((abort && flags) || (nosave && save)) throw new ReplyError(ERR.SYNTAX);
  if (abort) throw new ReplyError('ERR No shutdown in progress.');
  const inst = c.instance;
  inst.log('User requested shutdown...');
  if ((hasSaveParams(inst) && !nosave) || save) {
    inst.log('Saving the final RDB snapshot before exiting.');
    if (!rdbSave(inst)) {
      if (force) inst.log('Error trying to save the DB. Exit anyway.');
      else {
        inst.log("Error trying to save the DB, can't exit.");
        inst.log('Errors trying to shut down the server. Check the logs for more information.');
        throw new ReplyError('ERR Errors trying to SHUTDOWN. Check logs.');
      }
    }
  }
  const stop = inst.onShutdown;
  if (stop === null) throw new ReplyError('ERR this rdblens instance has no server to shut down');
  inst.log('rdblens is now ready to exit, bye bye...');
  // no reply: the connections close, as when redis-server exits
  setImmediate(stop);
}
