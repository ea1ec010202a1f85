// Preloaded (`node --import`) into a child process whose peak memory a test measures
// (test/source/bigkeys.test.ts): at exit, the main thread writes the process's peak resident
// set size as a last stderr line, every thread counted.
//
// The peak is VmHWM of /proc/self/status (Linux), the high-water mark of this program's own
// address space. process.resourceUsage().maxRSS (getrusage's ru_maxrss) is not: Linux carries it
// over fork and exec, so a child started by a big test process reports at least that process's
// size at the fork (measured: a 300 MB parent made every child's maxRSS 623 MB).
import { readFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  process.on('exit', () => {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'latin1'));
    process.stderr.write(`\nrdblens-test-peak-rss-kib=${m ? m[1] : 'unknown'} maxrss-kib=${process.resourceUsage().maxRSS}\n`);
  });
}
