/**
 * SUBSCRIBE and friends (pubsub.c, 7.0): each (un)subscription is confirmed by a message of
 * three items — kind, channel (null for a mass unsubscribe with nothing to drop), and the
 * connection's subscription count (channels + patterns; shard channels counted apart) — a push
 * in RESP3, an array in RESP2.
 */
import { connOf, sessionOf, type Context } from './context.js';
import { pubsubFrame } from '../instance/pubsub.js';
import type { Session } from './session.js';
import { ReplyError } from './errors.js';

type Kind = 'channel' | 'pattern' | 'shard';

/** sent as a push (CLIENT_PUSHING): it reaches the client even under CLIENT REPLY OFF */
function confirm(c: Context, s: Session, what: string, name: Buffer | null, kind: Kind): void {
  const n = kind === 'shard' ? s.shardChannels.size : s.channels.size + s.patterns.size;
  const frame = pubsubFrame(c.resp, name === null ? [what] : [what, name]);
  // the frame's header counts the items given; fix it to 3 and add the null and the count
  const head = Buffer.from(`${c.resp === 3 ? '>' : '*'}3\r\n`, 'latin1');
  const body = frame.subarray(frame.indexOf(0x0a) + 1);
  const nul = name === null ? Buffer.from(c.resp === 3 ? '_\r\n' : '$-1\r\n', 'latin1') : Buffer.alloc(0);
  connOf(c).push(Buffer.concat([head, body, nul, Buffer.from(`:${n}\r\n`, 'latin1')]));
}

/** CLIENT_DENY_BLOCKING outside MULTI: a script */
function denyScripts(c: Context, cmd: string): void {
  if (c.caller === 'script') throw new ReplyError(`ERR ${cmd} isn't allowed for a DENY BLOCKING client`);
}

export function subscribe(c: Context, argv: Buffer[], kind: Kind): void {
  denyScripts(c, kind === 'pattern' ? 'PSUBSCRIBE' : kind === 'shard' ? 'SSUBSCRIBE' : 'SUBSCRIBE');
  const s = sessionOf(c);
  const ps = c.instance.pubsub;
  const what = kind === 'pattern' ? 'psubscribe' : kind === 'shard' ? 'ssubscribe' : 'subscribe';
  for (let i = 1; i < argv.length; i++) {
    const name = argv[i]!.latin1Slice(0, argv[i]!.length);
    if (kind === 'pattern') ps.psubscribe(s, name);
    else ps.subscribe(s, name, kind === 'shard');
    confirm(c, s, what, argv[i]!, kind);
  }
}

export function unsubscribe(c: Context, argv: Buffer[], kind: Kind): void {
  const s = sessionOf(c);
  const ps = c.instance.pubsub;
  const what = kind === 'pattern' ? 'punsubscribe' : kind === 'shard' ? 'sunsubscribe' : 'unsubscribe';
  const drop = (name: string): void => {
    if (kind === 'pattern') ps.punsubscribe(s, name);
    else ps.unsubscribe(s, name, kind === 'shard');
  };
  if (argv.length === 1) {
    const mine = kind === 'pattern' ? s.patterns : kind === 'shard' ? s.shardChannels : s.channels;
    if (mine.size === 0) return confirm(c, s, what, null, kind);
    for (const name of [...mine]) {
      drop(name);
      confirm(c, s, what, Buffer.from(name, 'latin1'), kind);
    }
    return;
  }
  for (let i = 1; i < argv.length; i++) {
    drop(argv[i]!.latin1Slice(0, argv[i]!.length));
    confirm(c, s, what, argv[i]!, kind);
  }
}
