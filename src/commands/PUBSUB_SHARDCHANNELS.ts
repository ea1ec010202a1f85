/** PUBSUB SHARDCHANNELS (pubsubCommand, pubsub.c 7.0): see _pubsub-info.ts. */
export { SHARDCHANNELS as handler } from './_pubsub-info.js';
