/**
 * CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]: the
 * option checks and messages of 7.0 (clientCommand, networking.c), then enableTracking /
 * disableTracking (src/instance/tracking.ts, which sends the invalidation messages).
 */
import { connOf, type Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { is } from './_util.js';
import { parseLongLong } from '../protocol/decoder.js';
import { connectionById } from './_clients.js';

export function handler(c: Context, argv: Buffer[]): void {
  const conn = connOf(c);
  const s = conn.session;
  let redirect = 0;
  let bcast = false;
  let optin = false;
  let optout = false;
  let noloop = false;
  const prefixes: Buffer[] = [];
  for (let j = 3; j < argv.length; j++) {
    const more = j + 1 < argv.length;
    const a = argv[j]!;
    if (is(a, 'REDIRECT') && more) {
      j++;
      if (redirect !== 0) throw new ReplyError('ERR A client can only redirect to a single other client');
      const id = parseLongLong(argv[j]!, 0, argv[j]!.length);
      if (id === null) throw new ReplyError(ERR.NOT_INTEGER);
      if (!connectionById(conn, id)) throw new ReplyError('ERR The client ID you want redirect to does not exist');
      redirect = id;
    } else if (is(a, 'BCAST')) bcast = true;
    else if (is(a, 'OPTIN')) optin = true;
    else if (is(a, 'OPTOUT')) optout = true;
    else if (is(a, 'NOLOOP')) noloop = true;
    else if (is(a, 'PREFIX') && more) prefixes.push(Buffer.from(argv[++j]!));
    else throw new ReplyError(ERR.SYNTAX);
  }
  if (is(argv[2]!, 'ON')) {
    if (!bcast && prefixes.length > 0) throw new ReplyError('ERR PREFIX option requires BCAST mode to be enabled');
    const t = s.tracking;
    if (t && t.bcast !== bcast) throw new ReplyError("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.");
    if (bcast && (optin || optout)) throw new ReplyError('ERR OPTIN and OPTOUT are not compatible with BCAST');
    if (optin && optout) throw new ReplyError("ERR You can't specify both OPTIN mode and OPTOUT mode");
    if (t && ((optin && t.optout) || (optout && t.optin))) throw new ReplyError("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.");
    const inst = c.instance;
    if (bcast) {
      const collision = inst.tracking.prefixCollision(conn, prefixes);
      if (collision !== null) throw new ReplyError(collision);
    }
    // enableTracking: the options replace the old ones (CACHING and a broken redirect are cleared)
    s.tracking = { redirect, bcast, optin, optout, noloop, prefixes: [], caching: t?.caching ?? false, brokenRedir: false };
    inst.tracking.enable(conn, bcast, prefixes);
    inst.syncKeyHooks();
  } else if (is(argv[2]!, 'OFF')) {
    if (s.tracking) {
      c.instance.tracking.disable(conn);
      s.tracking = null;
      c.instance.syncKeyHooks();
    }
  } else throw new ReplyError(ERR.SYNTAX);
  c.reply.ok();
}
