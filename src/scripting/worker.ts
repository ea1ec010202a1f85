/**
 * The scripting worker thread: the EVAL and functions Lua states (vm.ts) run here, so that the
 * main thread can keep answering while a script runs past busy-reply-threshold (BUSY, SCRIPT KILL)
 * as Redis's processEventsWhileBlocked lets it.
 *
 * The thread never returns to its event loop: it blocks on an Atomics wait and reads messages
 * with receiveMessageOnPort, so a redis.call inside a script is a synchronous round trip to the
 * main thread. See engine.ts for the protocol.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type { ToWorker, ToMain } from './protocol.js';
import { CTL_TO_WORKER, CTL_TO_MAIN, CTL_KILL } from './protocol.js';
import { EvalVm, FunctionsVm, type ScriptHost, type RegisteredFunction } from './vm.js';

const port: MessagePort = workerData.port;
const ctl = new Int32Array(workerData.control as SharedArrayBuffer);

function send(m: ToMain): void {
  port.postMessage(m);
  Atomics.store(ctl, CTL_TO_MAIN, 1);
  Atomics.notify(ctl, CTL_TO_MAIN);
}

const pending: ToWorker[] = [];

/** The next message from the main thread (blocking). */
function receive(): ToWorker {
  for (;;) {
    const queued = pending.shift();
    if (queued) return queued;
    const got = receiveMessageOnPort(port);
    if (got !== undefined) return got.message as ToWorker;
    Atomics.wait(ctl, CTL_TO_WORKER, 0);
    Atomics.store(ctl, CTL_TO_WORKER, 0);
  }
}

let evalVm = new EvalVm();
let functionsVm = new FunctionsVm();
const functionsByRef = new Map<number, RegisteredFunction>();

const host: ScriptHost = {
  call(argv, resp) {
    send({ op: 'call', argv, resp });
    for (;;) {
      const m = receive();
      if (m.op === 'reply') return m.reply;
      // nothing else is sent while a script waits for a reply; keep it for later
      pending.push(m);
    }
  },
  log(level, message) {
    send({ op: 'log', level, message });
  },
  setRepl(flags) {
    send({ op: 'set_repl', flags });
  },
  aclCheck() {
    return true;
  },
  shouldKill() {
    return Atomics.load(ctl, CTL_KILL) === 1;
  },
};

function handle(m: ToWorker): void {
  switch (m.op) {
    case 'eval': {
      let compiledBytes = 0;
      if (!evalVm.has(m.sha)) {
        const r = evalVm.compile(m.sha, m.code);
        if ('error' in r) {
          send({ op: 'compile_error', message: r.error });
          return;
        }
        compiledBytes = r.bytes;
      }
      if (m.compileOnly) {
        send({ op: 'done', reply: new Uint8Array(), compiledBytes });
        return;
      }
      const reply = evalVm.runScript(m.sha, { keys: m.keys, args: m.args, clientResp: m.clientResp, funcname: m.sha }, host);
      send({ op: 'done', reply, compiledBytes });
      return;
    }
    case 'function_load': {
      const r = functionsVm.loadLibrary(m.code, m.timeoutMs, host);
      if (typeof r === 'string') {
        send({ op: 'compile_error', message: r });
        return;
      }
      for (const f of r.functions) functionsByRef.set(f.ref, f);
      send({ op: 'loaded', bytes: r.bytes, functions: r.functions.map((f) => ({ name: f.name, description: f.description, flags: f.flags, ref: f.ref })) });
      return;
    }
    case 'function_call': {
      const fn = functionsByRef.get(m.ref);
      if (!fn) {
        send({ op: 'done', reply: new TextEncoder().encode('-ERR Function not found\r\n') });
        return;
      }
      const reply = functionsVm.callRegistered(fn, { keys: m.keys, args: m.args, clientResp: m.clientResp, funcname: m.name }, host);
      send({ op: 'done', reply });
      return;
    }
    case 'function_release': {
      const fns = m.refs.map((r) => functionsByRef.get(r)).filter((f): f is RegisteredFunction => f !== undefined);
      functionsVm.release(fns);
      for (const r of m.refs) functionsByRef.delete(r);
      send({ op: 'done', reply: new Uint8Array() });
      return;
    }
    case 'reset': {
      if (m.which === 'eval') evalVm = new EvalVm();
      else {
        functionsVm = new FunctionsVm();
        functionsByRef.clear();
      }
      send({ op: 'done', reply: new Uint8Array() });
      return;
    }
    case 'memory':
      send({ op: 'memory', eval: evalVm.heapBytes(), functions: functionsVm.heapBytes() });
      return;
    case 'reply':
      // a reply with no call waiting: the main thread gave up on a killed script's call
      return;
    case 'exit':
      process.exit(0);
  }
}

for (;;) {
  const m = receive();
  try {
    handle(m);
  } catch (e) {
    send({ op: 'fatal', message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
}
