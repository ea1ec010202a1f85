/**
 * The `rdblens` executable (bin/rdblens.js loads the compiled dist/cli/rdblens.js).
 */
import { run } from './program.js';

await run();
