// Worker entry: Node 20 will not start a worker from a .ts file, so register tsx here first.
import { register } from 'tsx/esm/api';
register();
await import('./fuzz-worker.ts');
