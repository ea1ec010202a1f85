/** The key overhead lives in src/memory/key.ts; this re-export keeps the command files' import. */
export { keyOverhead } from '../key.js';
