/** PUBSUB NUMPAT (pubsubCommand, pubsub.c 7.0): see _pubsub-info.ts. */
export { NUMPAT as handler } from './_pubsub-info.js';
