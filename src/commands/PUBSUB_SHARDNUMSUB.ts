/** PUBSUB SHARDNUMSUB (pubsubCommand, pubsub.c 7.0): see _pubsub-info.ts. */
export { SHARDNUMSUB as handler } from './_pubsub-info.js';
