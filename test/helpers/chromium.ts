/**
 * Headless Chromium (Debian `chromium`) driven over the DevTools protocol: the browser is
 * started on a free loopback port with a fresh profile directory, one page is opened and
 * attached (flat sessions over the browser's WebSocket, `ws`), and everything the page reports
 * as an error (console errors, uncaught exceptions, Log entries such as CSP violations and
 * failed requests) is collected. stop() ends the browser by its pid and removes the profile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

export interface PageError {
  source: string;
  text: string;
}

type Json = Record<string, any>;

export class Browser {
  private id = 0;
  private readonly pending = new Map<number, { resolve: (v: Json) => void; reject: (e: Error) => void; method: string }>();
  private readonly waiters: Array<{ method: string; resolve: (p: Json) => void }> = [];
  readonly errors: PageError[] = [];
  /** URLs the page requested (Network.requestWillBeSent) */
  readonly requests: string[] = [];
  sessionId = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly ws: WebSocket,
    private readonly profile: string,
  ) {
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as Json;
      if (m.id !== undefined) {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.error) p.reject(new Error(`${p.method}: ${m.error.message}`));
        else p.resolve(m.result ?? {});
        return;
      }
      this.event(m.method, m.params ?? {});
    });
  }

  static async launch(bin: string): Promise<Browser> {
    const profile = mkdtempSync(path.join(tmpdir(), 'rdblens-chromium-'));
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      `--user-data-dir=${profile}`,
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
      '--window-size=1280,900',
      'about:blank',
    ];
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stopped = false;
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let err = '';
        const timer = setTimeout(() => reject(new Error(`chromium did not start:\n${err}`)), 60_000);
        child.stderr!.on('data', (c: Buffer) => {
          err += c.toString();
          const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          stopped = true;
          reject(new Error(`chromium exited (${code}):\n${err}`));
        });
      });
      const ws = new WebSocket(url, { perMessageDeflate: false });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      const b = new Browser(child, ws, profile);
      const { targetId } = await b.send('Target.createTarget', { url: 'about:blank' }, '');
      const { sessionId } = await b.send('Target.attachToTarget', { targetId, flatten: true }, '');
      b.sessionId = sessionId;
      await b.send('Runtime.enable');
      await b.send('Log.enable');
      await b.send('Page.enable');
      await b.send('Network.enable');
      await b.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false });
      return b;
    } catch (e) {
      if (!stopped && child.pid !== undefined) child.kill('SIGKILL');
      rmSync(profile, { recursive: true, force: true });
      throw e;
    }
  }

  private event(method: string, p: Json): void {
    if (method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert')) {
      this.errors.push({ source: 'console', text: (p.args ?? []).map((a: Json) => a.value ?? a.description ?? '').join(' ') });
    } else if (method === 'Runtime.exceptionThrown') {
      this.errors.push({ source: 'exception', text: p.exceptionDetails?.exception?.description ?? p.exceptionDetails?.text ?? 'exception' });
    } else if (method === 'Log.entryAdded' && p.entry?.level === 'error') {
      this.errors.push({ source: `log:${p.entry.source}`, text: p.entry.text });
    }
    if (method === 'Network.requestWillBeSent') this.requests.push(p.request?.url ?? '');
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i]!.method === method) this.waiters.splice(i, 1)[0]!.resolve(p);
    }
  }

  send(method: string, params: Json = {}, sessionId: string = this.sessionId): Promise<Json> {
    const id = ++this.id;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  waitEvent(method: string, timeoutMs = 60_000): Promise<Json> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${method}`)), timeoutMs);
      this.waiters.push({
        method,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  /** Load a URL and wait for its load event. */
  async open(url: string): Promise<void> {
    const loaded = this.waitEvent('Page.loadEventFired');
    await this.send('Page.navigate', { url });
    await loaded;
  }

  /** Evaluate an expression in the page (promises awaited); its value as JSON. */
  async evaluate<T = unknown>(expression: string): Promise<T> {
    const r = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) throw new Error(`evaluate: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  }

  /** Poll `expression` until it is truthy. */
  async waitFor(expression: string, timeoutMs = 30_000): Promise<void> {
    const start = Date.now();
    while (!(await this.evaluate<boolean>(`!!(${expression})`))) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A real mouse click (press and release) at page coordinates. */
  async click(x: number, y: number): Promise<void> {
    await this.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
    await this.send('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', clickCount: 1 });
    await this.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', clickCount: 1 });
  }

  async hover(x: number, y: number): Promise<void> {
    await this.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
  }

  /** A PNG of the viewport (or of `clip`, in page coordinates). */
  async screenshot(clip?: { x: number; y: number; width: number; height: number }): Promise<Buffer> {
    const r = await this.send('Page.captureScreenshot', { format: 'png', ...(clip ? { clip: { ...clip, scale: 1 }, captureBeyondViewport: true } : {}) });
    return Buffer.from(r.data as string, 'base64');
  }

  async stop(): Promise<void> {
    try {
      await this.send('Browser.close', {}, '').catch(() => undefined);
      this.ws.close();
    } finally {
      if (this.child.exitCode === null && this.child.signalCode === null) {
        const exited = new Promise((r) => this.child.once('exit', r));
        const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      rmSync(this.profile, { recursive: true, force: true });
    }
  }
}
