/**
 * `rdblens serve` as a child process (through tsx): resolves once it logs where it listens.
 * Stop it with SIGTERM (it exits 0) or SIGKILL by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const CLI = path.resolve('cli/rdblens.ts');

export interface ServeProcess {
  child: ChildProcess;
  port: number;
  /** everything it wrote to stderr so far */
  log(): string;
}

export async function startServeProcess(args: string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr!.on('data', () => {
        const m = /listening on \S*:(\d+)/.exec(log);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${log}`)));
    });
    return { child, port, log: () => log };
  } catch (e) {
    if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL');
    throw e;
  }
}
