/**
 * XACK key group id [id ...] (xackCommand, t_stream.c 7.0): the IDs are parsed first (all or
 * nothing), then each found in the group's PEL leaves it and its consumer's. 0 without the
 * key or the group.
 */
import type { Context } from './context.js';
import { streamLookupCG, streamRemoveNACK } from '../engine/types/stream-cgroups.js';
import { groupStream, parseStreamId } from './_stream-groups.js';

export function handler(c: Context, argv: Buffer[]): void {
  const gs = groupStream(c, argv[1]!, true);
  const cg = gs ? streamLookupCG(gs.s.groups, argv[2]!) : undefined;
  if (!gs || !cg) return c.reply.int(0);
  const ids = [];
  for (let j = 3; j < argv.length; j++) ids.push(parseStreamId(argv[j]!, true));
  let acknowledged = 0;
  for (const id of ids) {
    const nack = cg.pel.find(id.ms, id.seq);
    if (nack === undefined) continue;
    streamRemoveNACK(cg, nack);
    acknowledged++;
  }
  if (acknowledged) c.db.refresh(gs.id);
  c.reply.int(acknowledged);
}
