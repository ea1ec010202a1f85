/**
 * The main thread's side of scripting: a worker thread holds the Lua states (worker.ts); this
 * sends it work and serves its redis.call requests through a CallHost.
 *
 * A run is synchronous, as in Redis: the main thread blocks on an Atomics wait while the script
 * runs, serving each redis.call as it comes. If the script is still running after
 * busy-reply-threshold milliseconds, the run becomes asynchronous: run() hands back a promise and
 * returns to the event loop, so that the server can answer BUSY to other clients and take
 * SCRIPT KILL / FUNCTION KILL (which set a flag the worker's count hook polls), as Redis does once
 * a script is "timed out" (scriptInterrupt, script.c).
 *
 * Protocol: each side posts on its MessagePort, then sets its slot of a shared Int32Array and
 * notifies; the other side waits on that slot, clears it, and drains the port with
 * receiveMessageOnPort. Clearing before draining means no wake-up is lost.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { CTL_KILL, CTL_SLOTS, CTL_TO_MAIN, CTL_TO_WORKER, type LoadedFunction, type ToMain, type ToWorker } from './protocol.js';

/** What a script's commands run against: the server's command layer, as the script's client. */
export interface CallHost {
  /** Run argv (all of scriptCall's checks included); the RESP reply in protocol `resp`. */
  call(argv: Buffer[], resp: 2 | 3): Buffer;
  log(level: number, message: Buffer): void;
  setRepl?(flags: number): void;
}

/** A run's result: the reply now, or (past busy-reply-threshold) later. */
export type Outcome = { reply: Buffer } | { pending: Promise<Buffer> };

export interface RunningScript {
  kind: 'eval' | 'function';
  /** the sha (EVAL) or the function's name */
  name: string;
  startedAt: number;
  /** past busy-reply-threshold: other clients get BUSY */
  timedOut: boolean;
  killRequested: boolean;
  /** a write command ran (SCRIPT_WRITE_DIRTY): SCRIPT KILL refuses then */
  wrote: boolean;
  /** the caller's command (FUNCTION STATS) */
  argv: Buffer[];
}

export class ScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptError';
  }
}

// The worker imports vm.ts from this folder: .js once built; .ts under tsx, whose loader the
// worker then registers for itself (as src/rdb/file-crc.ts does).
const fromSource = import.meta.url.endsWith('.ts');
const WORKER_MODULE = new URL(`./worker${fromSource ? '.ts' : '.js'}`, import.meta.url).href;
const TSX_API = fromSource ? import.meta.resolve('tsx/esm/api') : null;
const BOOTSTRAP = `
import { workerData } from 'node:worker_threads';
if (workerData.tsxApi) (await import(workerData.tsxApi)).register();
await import(workerData.module);
`;

type AtomicsWaitAsync = (a: Int32Array, index: number, value: number, timeout?: number) => { async: boolean; value: Promise<string> | string };

export class ScriptEngine {
  /** busy-reply-threshold (lua-time-limit), ms; 0: never time out */
  busyReplyThreshold = 5000;
  running: RunningScript | null = null;

  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private ctl: Int32Array | null = null;
  private now: () => number;

  constructor(opts: { now?: () => number } = {}) {
    this.now = opts.now ?? Date.now;
  }

  private start(): void {
    if (this.worker !== null) return;
    const control = new SharedArrayBuffer(CTL_SLOTS * 4);
    const { port1, port2 } = new MessageChannel();
    this.worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(BOOTSTRAP)}`), {
      workerData: { port: port2, control, module: WORKER_MODULE, tsxApi: TSX_API },
      transferList: [port2],
    });
    this.worker.unref();
    this.worker.on('error', (e) => {
      // the worker's own failures surface as 'fatal' messages; an error here means it died
      this.dead = e instanceof Error ? e.message : String(e);
    });
    this.port = port1;
    this.ctl = new Int32Array(control);
  }

  private dead: string | null = null;

  private post(m: ToWorker): void {
    this.start();
    if (this.dead !== null) throw new ScriptError(`the scripting worker stopped: ${this.dead}`);
    this.port!.postMessage(m);
    Atomics.store(this.ctl!, CTL_TO_WORKER, 1);
    Atomics.notify(this.ctl!, CTL_TO_WORKER);
  }

  /** Wait for the worker's next message (blocking, up to `timeoutMs`); null on time-out. */
  private receiveSync(timeoutMs: number): ToMain | null {
    const ctl = this.ctl!;
    for (;;) {
      const got = receiveMessageOnPort(this.port!);
      if (got !== undefined) return got.message as ToMain;
      if (this.dead !== null) throw new ScriptError(`the scripting worker stopped: ${this.dead}`);
      const r = Atomics.wait(ctl, CTL_TO_MAIN, 0, timeoutMs === Infinity ? undefined : Math.max(0, timeoutMs));
      Atomics.store(ctl, CTL_TO_MAIN, 0);
      if (r === 'timed-out') {
        const late = receiveMessageOnPort(this.port!);
        return late === undefined ? null : (late.message as ToMain);
      }
    }
  }

  /** Serve one message of a run: a call, a log line, or its end (returned). */
  private serve(m: ToMain, host: CallHost | null): ToMain | null {
    switch (m.op) {
      case 'call': {
        let reply: Buffer;
        if (host === null) reply = Buffer.from('-ERR redis.call is not available here\r\n');
        else {
          try {
            reply = host.call(m.argv.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)), m.resp);
          } catch (e) {
            reply = Buffer.from(`-ERR ${e instanceof Error ? e.message : String(e)}\r\n`.replace(/[\r\n]+(?!$)/g, ' '));
          }
        }
        this.post({ op: 'reply', reply });
        return null;
      }
      case 'log':
        host?.log(m.level, Buffer.from(m.message));
        return null;
      case 'set_repl':
        host?.setRepl?.(m.flags);
        return null;
      case 'fatal':
        throw new ScriptError(`scripting worker: ${m.message}`);
      default:
        return m;
    }
  }

  /** A request whose answer comes without time-out (compile, load, release, memory). */
  private request(m: ToWorker, host: CallHost | null = null): ToMain {
    this.post(m);
    for (;;) {
      const r = this.receiveSync(Infinity);
      if (r === null) continue;
      const end = this.serve(r, host);
      if (end !== null) return end;
    }
  }

  /** A script run: synchronous up to busy-reply-threshold, then a promise. */
  private run(m: ToWorker, info: Pick<RunningScript, 'kind' | 'name' | 'argv'>, host: CallHost, mayYield: boolean): Outcome {
    if (this.running !== null) throw new ScriptError('a script is already running');
    // argv may be views of the server's read buffer, which the next read reuses: keep a copy
    const running: RunningScript = { ...info, argv: info.argv.map((a) => Buffer.from(a)), startedAt: this.now(), timedOut: false, killRequested: false, wrote: false };
    this.running = running;
    this.start();
    Atomics.store(this.ctl!, CTL_KILL, 0);
    let done = false;
    let failed = true;
    try {
      this.post(m);
      const deadline = this.busyReplyThreshold > 0 && mayYield ? running.startedAt + this.busyReplyThreshold : Infinity;
      for (;;) {
        const left = deadline === Infinity ? Infinity : deadline - this.now();
        if (left <= 0) break;
        const r = this.receiveSync(left);
        if (r === null) break;
        const end = this.serve(r, host);
        if (end !== null) {
          done = true;
          return { reply: this.finish(end) };
        }
      }
      failed = false;
    } finally {
      // an error (the worker's 'fatal') ends the run too: the next script must not find it running
      if (done || failed) this.running = null;
    }
    // timed out: from now on other clients get BUSY, and the run ends asynchronously
    running.timedOut = true;
    return { pending: this.continueAsync(host) };
  }

  /** the host of a run gone asynchronous (kill() serves its calls while it waits for the end) */
  private asyncHost: CallHost | null = null;
  /** the end of a run that kill() received first; the asynchronous loop delivers it */
  private endedEarly: ToMain | null = null;

  private async continueAsync(host: CallHost): Promise<Buffer> {
    const ctl = this.ctl!;
    const waitAsync = (Atomics as unknown as { waitAsync: AtomicsWaitAsync }).waitAsync;
    // a wait promise alone does not keep the process alive: the worker does, while this lasts
    this.worker?.ref();
    this.asyncHost = host;
    try {
      for (;;) {
        if (this.endedEarly !== null) {
          const end = this.endedEarly;
          this.endedEarly = null;
          return this.finish(end);
        }
        for (;;) {
          const got = receiveMessageOnPort(this.port!);
          if (got === undefined) break;
          const end = this.serve(got.message as ToMain, host);
          if (end !== null) return this.finish(end);
        }
        if (this.dead !== null) throw new ScriptError(`the scripting worker stopped: ${this.dead}`);
        const w = waitAsync(ctl, CTL_TO_MAIN, 0, 1000);
        if (w.async) await w.value;
        Atomics.store(ctl, CTL_TO_MAIN, 0);
      }
    } finally {
      this.worker?.unref();
      this.asyncHost = null;
      this.running = null;
    }
  }

  /** bytes the worker's Lua heaps grew by (the model of lua-memory.ts): eval scripts compiled */
  compiledEvalBytes = 0;

  private finish(end: ToMain): Buffer {
    if (end.op === 'done') this.compiledEvalBytes += end.compiledBytes ?? 0;
    if (end.op === 'done') return Buffer.from(end.reply.buffer, end.reply.byteOffset, end.reply.byteLength);
    if (end.op === 'compile_error') return Buffer.from(`-ERR ${end.message.replace(/[\r\n]+/g, ' ')}\r\n`, 'latin1');
    throw new ScriptError(`scripting worker: unexpected answer '${end.op}'`);
  }

  /** SCRIPT LOAD's compile: null, or Redis's error text. */
  compile(sha: string, code: Buffer): string | null {
    const r = this.request({ op: 'eval', sha, code, keys: [], args: [], clientResp: 2, compileOnly: true });
    if (r.op === 'compile_error') return r.message;
    if (r.op === 'done') this.compiledEvalBytes += r.compiledBytes ?? 0;
    return null;
  }

  /** EVAL / EVALSHA of a script whose body the caller knows (compiled in the worker if needed). */
  eval(sha: string, code: Buffer, keys: Buffer[], args: Buffer[], clientResp: 2 | 3, host: CallHost, mayYield = true, argv: Buffer[] = []): Outcome {
    return this.run({ op: 'eval', sha, code, keys, args, clientResp }, { kind: 'eval', name: sha, argv }, host, mayYield);
  }

  /** FUNCTION LOAD's run of a library's code: its functions, or Redis's error text. */
  loadLibrary(code: Buffer, timeoutMs: number, host: CallHost | null = null): { functions: LoadedFunction[]; bytes: number } | string {
    const r = this.request({ op: 'function_load', code, timeoutMs }, host);
    if (r.op === 'compile_error') return r.message;
    if (r.op === 'loaded') return { functions: r.functions, bytes: r.bytes };
    throw new ScriptError(`scripting worker: unexpected answer '${r.op}'`);
  }

  /** FCALL / FCALL_RO */
  callFunction(fn: LoadedFunction, keys: Buffer[], args: Buffer[], clientResp: 2 | 3, host: CallHost, mayYield = true, argv: Buffer[] = []): Outcome {
    return this.run({ op: 'function_call', ref: fn.ref, name: fn.name, keys, args, clientResp }, { kind: 'function', name: fn.name, argv }, host, mayYield);
  }

  /** Drop functions from the functions VM (FUNCTION DELETE, a replaced library). */
  releaseFunctions(refs: number[]): void {
    if (refs.length === 0 || this.worker === null) return;
    this.request({ op: 'function_release', refs });
  }

  /** SCRIPT FLUSH (a new EVAL state) / FUNCTION FLUSH (a new functions state). */
  reset(which: 'eval' | 'functions'): void {
    if (which === 'eval') this.compiledEvalBytes = 0;
    if (this.worker === null) return;
    this.request({ op: 'reset', which });
  }

  /** Ask the running script to stop (SCRIPT KILL / FUNCTION KILL, once the caller checked it may). */
  kill(): void {
    if (this.running === null || this.ctl === null) return;
    this.running.killRequested = true;
    Atomics.store(this.ctl, CTL_KILL, 1);
    // Redis kills the script before it reads the next command (scriptInterrupt): wait here (up to
    // 2 s) for the run to end, serving its calls meanwhile, so what follows SCRIPT KILL sees it gone
    if (!this.running.timedOut || this.asyncHost === null) return;
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline) {
      const m = this.receiveSync(Math.max(1, deadline - Date.now()));
      if (m === null) break;
      const end = this.serve(m, this.asyncHost);
      if (end !== null) {
        this.endedEarly = end;
        this.running.timedOut = false;
        // wake the asynchronous loop, which delivers the reply
        Atomics.store(this.ctl, CTL_TO_MAIN, 1);
        Atomics.notify(this.ctl, CTL_TO_MAIN);
        return;
      }
    }
  }

  /** The worker VMs' own heap figures (fengari's; not what Redis's Lua 5.1 would use). */
  vmHeapBytes(): { eval: number; functions: number } {
    if (this.worker === null) return { eval: 0, functions: 0 };
    const r = this.request({ op: 'memory' });
    if (r.op !== 'memory') throw new ScriptError(`scripting worker: unexpected answer '${r.op}'`);
    return { eval: r.eval, functions: r.functions };
  }

  async close(): Promise<void> {
    const w = this.worker;
    if (w === null) return;
    this.worker = null;
    await w.terminate();
  }
}
