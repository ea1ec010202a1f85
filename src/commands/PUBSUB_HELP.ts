/** PUBSUB HELP (pubsubCommand, pubsub.c 7.0): see _pubsub-info.ts. */
export { HELP_ as handler } from './_pubsub-info.js';
