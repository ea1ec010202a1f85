/**
 * The server's side of scripting: the EVAL and functions Lua states (vm.ts), run on the main
 * thread, and their redis.call requests served through a CallHost.
 *
 * A run is synchronous, as in Redis, each redis.call a plain function call into the command
 * layer. A run is a Lua coroutine: if it is still running after busy-reply-threshold
 * milliseconds, the count hook (every 100,000 instructions) suspends it and run() hands back a
 * promise; the engine then resumes it in slices from the event loop, so that the server answers
 * BUSY to other clients and takes SCRIPT KILL / FUNCTION KILL between slices, as Redis's
 * scriptInterrupt does once a script is "timed out" (processEventsWhileBlocked, script.c).
 */
import { EvalVm, FunctionsVm, type RedisLuaState, type RegisteredFunction, type RunResult, type ScriptHost } from './vm.js';

/** What a script's commands run against: the server's command layer, as the script's client. */
export interface CallHost {
  /** Run argv (all of scriptCall's checks included); the RESP reply in protocol `resp`. */
  call(argv: Buffer[], resp: 2 | 3): Buffer;
  log(level: number, message: Buffer): void;
  setRepl?(flags: number): void;
}

/** A function a library registered, as the engine knows it (FCALL's handle: `ref`). */
export interface LoadedFunction {
  name: string;
  description: string | null;
  flags: string[];
  ref: number;
}

/**
 * A run's result: the reply now, or (past busy-reply-threshold) later. `ignoreErrorStats`: the
 * reply is an error the error stats already counted (a failed redis.call's, passed on).
 */
export type Outcome = { reply: Buffer; ignoreErrorStats: boolean } | { pending: Promise<Buffer> };

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

/** fengari's strings are Uint8Arrays: the command layer takes Buffers over the same bytes */
function asBuffer(a: Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** a JavaScript exception out of a Lua state (a bug of ours): the caller gets an error, the server goes on */
function vmFailure(e: unknown): ScriptError {
  return e instanceof ScriptError ? e : new ScriptError(`scripting: ${e instanceof Error ? e.message : String(e)}`);
}

function toOutcome(r: RunResult): Outcome {
  return { reply: asBuffer(r.reply), ignoreErrorStats: r.ignoreErrorStats };
}

export class ScriptEngine {
  /** busy-reply-threshold (lua-time-limit), ms; 0: never time out */
  busyReplyThreshold = 5000;
  running: RunningScript | null = null;
  /** bytes the Lua heaps grew by (the model of lua-memory.ts): eval scripts compiled */
  compiledEvalBytes = 0;

  private evalState: EvalVm | null = null;
  private functionsState: FunctionsVm | null = null;
  private readonly functionsByRef = new Map<number, RegisteredFunction>();
  private now: () => number;

  /** the current run's host, its state, whether it may yield, and (once suspended) its caller's promise */
  private host: CallHost | null = null;
  private runState: RedisLuaState | null = null;
  private mayYield = false;
  private settle: { resolve: (b: Buffer) => void; reject: (e: unknown) => void } | null = null;

  /** what the Lua states call: the current run's host, and the run's kill / yield checks */
  private readonly vmHost: ScriptHost = {
    call: (argv, resp) => {
      const host = this.host;
      if (host === null) return Buffer.from('-ERR redis.call is not available here\r\n');
      const args: Buffer[] = new Array(argv.length);
      for (let i = 0; i < argv.length; i++) args[i] = asBuffer(argv[i]!);
      return host.call(args, resp);
    },
    log: (level, message) => this.host?.log(level, asBuffer(message)),
    setRepl: (flags) => this.host?.setRepl?.(flags),
    aclCheck: () => true,
    shouldKill: () => this.running?.killRequested === true,
    shouldYield: () => {
      const r = this.running;
      if (r === null || !this.mayYield) return false;
      return r.timedOut || this.now() - r.startedAt >= this.busyReplyThreshold;
    },
  };

  constructor(opts: { now?: () => number } = {}) {
    this.now = opts.now ?? Date.now;
  }

  private evalVm(): EvalVm {
    return (this.evalState ??= new EvalVm());
  }

  private functionsVm(): FunctionsVm {
    return (this.functionsState ??= new FunctionsVm());
  }

  /** A script run: synchronous up to busy-reply-threshold, then a promise. */
  private run(state: RedisLuaState, start: () => RunResult | null, info: Pick<RunningScript, 'kind' | 'name' | 'argv'>, host: CallHost, mayYield: boolean): Outcome {
    if (this.running !== null) throw new ScriptError('a script is already running');
    const running: RunningScript = { ...info, startedAt: this.now(), timedOut: false, killRequested: false, wrote: false };
    this.running = running;
    this.host = host;
    this.runState = state;
    this.mayYield = mayYield && this.busyReplyThreshold > 0;
    let r: RunResult | null;
    try {
      r = start();
    } catch (e) {
      this.endRun();
      throw vmFailure(e);
    }
    if (r !== null) {
      this.endRun();
      return toOutcome(r);
    }
    // timed out: from now on other clients get BUSY, and the run goes on from the event loop.
    // argv may be views of the server's read buffer, which the next read reuses: keep a copy
    running.timedOut = true;
    running.argv = running.argv.map((a) => Buffer.from(a));
    const pending = new Promise<Buffer>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    setImmediate(() => this.slice());
    return { pending };
  }

  private endRun(): void {
    this.running = null;
    this.host = null;
    this.runState = null;
    this.settle = null;
  }

  /** One slice of a suspended run (up to the count hook's next yield), then the next, later. */
  private slice(): void {
    const state = this.runState;
    const settle = this.settle;
    if (state === null || settle === null) return; // ended by kill()
    let r: RunResult | null;
    try {
      r = state.resumeRun();
    } catch (e) {
      this.endRun();
      settle.reject(vmFailure(e));
      return;
    }
    if (r === null) {
      setImmediate(() => this.slice());
      return;
    }
    this.endRun();
    settle.resolve(asBuffer(r.reply));
  }

  /** SCRIPT LOAD's compile: null, or Redis's error text. */
  compile(sha: string, code: Buffer): string | null {
    const vm = this.evalVm();
    if (vm.has(sha)) return null;
    const r = vm.compile(sha, code);
    if ('error' in r) return r.error;
    this.compiledEvalBytes += r.bytes;
    return null;
  }

  /** EVAL / EVALSHA of a script whose body the caller knows (compiled first if needed). */
  eval(sha: string, code: Buffer, keys: Buffer[], args: Buffer[], clientResp: 2 | 3, host: CallHost, mayYield = true, argv: Buffer[] = []): Outcome {
    const err = this.compile(sha, code);
    if (err !== null) return { reply: Buffer.from(`-ERR ${err.replace(/[\r\n]+/g, ' ')}\r\n`, 'latin1'), ignoreErrorStats: false };
    const vm = this.evalVm();
    return this.run(vm, () => vm.runScript(sha, { keys, args, clientResp, funcname: sha }, this.vmHost), { kind: 'eval', name: sha, argv }, host, mayYield);
  }

  /** FUNCTION LOAD's run of a library's code: its functions, or Redis's error text. */
  loadLibrary(code: Buffer, timeoutMs: number, host: CallHost | null = null): { functions: LoadedFunction[]; bytes: number } | string {
    const prev = this.host;
    if (this.running === null) this.host = host;
    try {
      const r = this.functionsVm().loadLibrary(code, timeoutMs, this.vmHost);
      if (typeof r === 'string') return r;
      for (const f of r.functions) this.functionsByRef.set(f.ref, f);
      return { functions: r.functions.map((f) => ({ name: f.name, description: f.description, flags: f.flags, ref: f.ref })), bytes: r.bytes };
    } finally {
      if (this.running === null) this.host = prev;
    }
  }

  /** FCALL / FCALL_RO */
  callFunction(fn: LoadedFunction, keys: Buffer[], args: Buffer[], clientResp: 2 | 3, host: CallHost, mayYield = true, argv: Buffer[] = []): Outcome {
    const registered = this.functionsByRef.get(fn.ref);
    if (registered === undefined) return { reply: Buffer.from('-ERR Function not found\r\n'), ignoreErrorStats: false };
    const vm = this.functionsVm();
    return this.run(vm, () => vm.callRegistered(registered, { keys, args, clientResp, funcname: fn.name }, this.vmHost), { kind: 'function', name: fn.name, argv }, host, mayYield);
  }

  /** Drop functions from the functions VM (FUNCTION DELETE, a replaced library). */
  releaseFunctions(refs: number[]): void {
    const fns: RegisteredFunction[] = [];
    for (const r of refs) {
      const f = this.functionsByRef.get(r);
      if (f !== undefined) fns.push(f);
      this.functionsByRef.delete(r);
    }
    if (fns.length > 0) this.functionsState?.release(fns);
  }

  /** SCRIPT FLUSH (a new EVAL state) / FUNCTION FLUSH (a new functions state). */
  reset(which: 'eval' | 'functions'): void {
    // a run in progress (a replica's stream can flush meanwhile) ends in the state it started in
    if (which === 'eval') {
      this.compiledEvalBytes = 0;
      this.evalState = null;
    } else {
      this.functionsByRef.clear();
      this.functionsState = null;
    }
  }

  /**
   * Stop the running script (SCRIPT KILL / FUNCTION KILL, once the caller checked it may).
   * Redis kills it before it reads the next command (scriptInterrupt): a suspended run is
   * resumed here until the count hook has raised the kill error through it, so what follows
   * SCRIPT KILL sees it gone.
   */
  kill(): void {
    const running = this.running;
    if (running === null) return;
    running.killRequested = true;
    const state = this.runState;
    const settle = this.settle;
    if (state === null || settle === null) return;
    let r: RunResult | null = null;
    try {
      while (r === null) r = state.resumeRun();
    } catch (e) {
      this.endRun();
      settle.reject(vmFailure(e));
      return;
    }
    this.endRun();
    settle.resolve(asBuffer(r.reply));
  }

  /** The VMs' own heap figures (fengari's; not what Redis's Lua 5.1 would use). */
  vmHeapBytes(): { eval: number; functions: number } {
    return { eval: this.evalState?.heapBytes() ?? 0, functions: this.functionsState?.heapBytes() ?? 0 };
  }

  async close(): Promise<void> {
    this.evalState = null;
    this.functionsState = null;
  }
}
