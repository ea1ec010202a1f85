/** PUBSUB NUMSUB (pubsubCommand, pubsub.c 7.0): see _pubsub-info.ts. */
export { NUMSUB as handler } from './_pubsub-info.js';
