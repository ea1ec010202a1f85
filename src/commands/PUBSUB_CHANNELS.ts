/** PUBSUB CHANNELS (pubsubCommand, pubsub.c 7.0): see _pubsub-info.ts. */
export { CHANNELS as handler } from './_pubsub-info.js';
