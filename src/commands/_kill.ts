/** scriptKill (script.c): SCRIPT KILL and FUNCTION KILL */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';

export function scriptKill(c: Context, isEval: boolean): void {
  const engine = c.instance.scripting.engine;
  const run = engine.running;
  if (run === null) throw new ReplyError('NOTBUSY No scripts in execution right now.');
  if (run.wrote) {
    throw new ReplyError(
      'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
    );
  }
  if (isEval && run.kind !== 'eval') throw new ReplyError('BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.');
  if (!isEval && run.kind === 'eval') throw new ReplyError('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.');
  engine.kill();
  c.reply.ok();
}
