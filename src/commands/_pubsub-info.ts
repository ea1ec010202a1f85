/** PUBSUB CHANNELS / NUMSUB / NUMPAT / SHARDCHANNELS / SHARDNUMSUB / HELP (pubsubCommand, pubsub.c 7.0). */
import type { Context } from './context.js';
import { globMatch } from '../rdb/glob.js';
import { replyHelp } from './_help.js';

const HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

function channelList(c: Context, argv: Buffer[], reg: Map<string, unknown>): void {
  const pat = argv.length === 3 ? argv[2]! : null;
  const out: Buffer[] = [];
  for (const ch of reg.keys()) {
    const b = Buffer.from(ch, 'latin1');
    if (pat === null || globMatch(pat, b)) out.push(b);
  }
  c.reply.array(out.length);
  for (const b of out) c.reply.bulk(b);
}

function numsub(c: Context, argv: Buffer[], reg: Map<string, Set<unknown>>): void {
  c.reply.array((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    c.reply.bulk(argv[i]!);
    c.reply.int(reg.get(argv[i]!.latin1Slice(0, argv[i]!.length))?.size ?? 0);
  }
}

export function CHANNELS(c: Context, argv: Buffer[]): void {
  channelList(c, argv, c.instance.pubsub.channels);
}
export function SHARDCHANNELS(c: Context, argv: Buffer[]): void {
  channelList(c, argv, c.instance.pubsub.shardChannels);
}
export function NUMSUB(c: Context, argv: Buffer[]): void {
  numsub(c, argv, c.instance.pubsub.channels);
}
export function SHARDNUMSUB(c: Context, argv: Buffer[]): void {
  numsub(c, argv, c.instance.pubsub.shardChannels);
}
export function NUMPAT(c: Context): void {
  c.reply.int(c.instance.pubsub.patterns.size);
}
export function HELP_(c: Context, argv: Buffer[]): void {
  replyHelp(c, argv[0]!.latin1Slice(0, argv[0]!.length).toUpperCase(), HELP);
}
