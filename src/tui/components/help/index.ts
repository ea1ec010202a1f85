export { Help } from './help.js';
