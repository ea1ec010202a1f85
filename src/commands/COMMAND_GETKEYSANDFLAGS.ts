/** COMMAND GETKEYSANDFLAGS command [arg ...]: COMMAND GETKEYS with each key's flags (COMMAND_GETKEYS.ts) */
export { handlerWithFlags as handler } from './COMMAND_GETKEYS.js';
