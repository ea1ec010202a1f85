/**
 * Run the explorer on the real terminal: the alternate screen (the shell's scrollback is left as
 * it was), no cursor, and both restored however the app ends: q, Ctrl+C, a signal or a crash.
 */
import { render } from 'ink';
import { App } from './app.js';
import type { ExplorerOptions } from './data/explorer.js';

const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[H';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';
const HIDE_CURSOR = '\u001B[?25l';
const SHOW_CURSOR = '\u001B[?25h';

export interface RunOptions {
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  exportDir?: string;
}

export async function runTui(options: ExplorerOptions, run: RunOptions = {}): Promise<void> {
  const stdout = run.stdout ?? process.stdout;
  const stdin = run.stdin ?? process.stdin;
  let restored = false;
  let instance: ReturnType<typeof render> | null = null;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    // Ink's own exit handler (signal-exit, run after the 'exit' listeners) would draw its last
    // frame again on the restored screen, over what is printed after it (cli/interrupt.ts's
    // line): unmount it while the alternate screen still takes its output
    instance?.unmount();
    stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
  };
  stdout.write(ENTER_ALT_SCREEN + HIDE_CURSOR);
  process.once('exit', restore);
  try {
    instance = render(<App options={options} exportDir={run.exportDir} />, {
      stdout,
      stdin,
      exitOnCtrlC: true,
      patchConsole: true,
    });
    await instance.waitUntilExit();
  } finally {
    restore();
    process.off('exit', restore);
  }
}
