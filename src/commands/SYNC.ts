/**
 * SYNC and PSYNC replid offset (syncCommand, replication.c 7.0): a full resynchronisation. The
 * connection gets the dataset as an RDB bulk (PSYNC: after +FULLRESYNC <replid> <offset>), then
 * the replication stream (src/instance/replication.ts); it gets no replies from then on (a
 * replica client's commands are answered with nothing). The snapshot is made at once (no fork),
 * so nothing written after it is missing from the stream.
 */
import { connOf, type Context } from './context.js';
import { ReplyError } from './errors.js';
import { rdbSnapshot } from '../instance/save.js';

export function handler(c: Context, argv: Buffer[]): void {
  const conn = connOf(c);
  const s = conn.session;
  // a connection that already replicates: ignored
  if (s.replica) return;
  const inst = c.instance;
  if (inst.shared.following) throw new ReplyError("ERR Can't SYNC while not connected with my master");
  const rdb = Buffer.concat(rdbSnapshot(inst));
  const repl = inst.replication;
  const psync = argv[0]!.latin1Slice(0, argv[0]!.length).toLowerCase() === 'psync';
  const head = psync ? `+FULLRESYNC ${inst.runId} ${repl.offset}\r\n` : '';
  // the replies stop (CLIENT_SLAVE); what is pushed (the RDB, then the stream) still goes out
  s.replyOff = true;
  s.replica = true;
  conn.push(Buffer.concat([Buffer.from(`${head}$${rdb.length}\r\n`), rdb]));
  repl.attach(s);
  inst.log(`Replica ${conn.addr} asks for synchronization`);
}
