// Parent side of the bench's child processes (servers and load generators): start one, send it
// requests over the IPC channel with a deadline, and make sure every child dies with the bench.

import { fork } from 'node:child_process';

/**
 * @typedef {{ id: number, cmd: string, args?: unknown }} RequestMessage
 * @typedef {{ id: number, result?: unknown, error?: string }} ReplyMessage
 * @typedef {{ ready: true, info?: unknown } | { ready: false, error: string }} ReadyMessage
 */

/** Every child still alive, so an exit of the bench (even by an exception) ends them too. */
const liveChildren = new Set();
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => process.exit(130));
}

export class Child {
  /**
   * @param {import('node:child_process').ChildProcess} process
   * @param {unknown} info what the child reported when ready (a server's port, say)
   */
  constructor(process, info) {
    this.process = process;
    this.info = info;
    this.nextId = 1;
    /** @type {Map<number, { resolve: (value: unknown) => void, reject: (error: Error) => void }>} */
    this.pending = new Map();
    process.on('message', (message) => this.settle(/** @type {ReplyMessage} */ (message)));
    process.once('exit', (code, signal) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`child exited (${signal ?? code})`));
      this.pending.clear();
    });
  }

  /** @param {ReplyMessage} message */
  settle(message) {
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(message.error));
    else waiter.resolve(message.result);
  }

  /**
   * @param {string} cmd
   * @param {unknown} [args]
   * @param {number} [timeoutMs]
   * @returns {Promise<any>} whatever the child's handler returned (JSON over IPC)
   */
  request(cmd, args, timeoutMs = 60_000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`"${cmd}" got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      if (!this.process.connected) return this.settle({ id, error: 'child is gone' });
      this.process.send(/** @type {RequestMessage} */ ({ id, cmd, args }));
    });
  }

  get running() {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /**
   * Ends the child and waits (bounded) until it is gone: asked to exit first, so a profiling
   * child writes its profile, then killed if it did not go within `graceMs`.
   * @param {number} [graceMs]
   */
  async stop(graceMs = 5_000) {
    if (!this.running) return void liveChildren.delete(this.process);
    /** @type {NodeJS.Timeout | undefined} */ let timer;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    if (this.process.connected) await this.request('exit', undefined, graceMs).catch(() => {});
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    if (this.running) this.process.kill('SIGKILL');
    liveChildren.delete(this.process);
  }
}

/**
 * Forks `script` with --expose-gc (plus `extraExecArgv`) and waits for its ready message.
 * @param {URL} script
 * @param {string[]} args
 * @param {string[]} [extraExecArgv]
 * @param {number} [timeoutMs]
 * @returns {Promise<Child>}
 */
export async function startChild(script, args, extraExecArgv = [], timeoutMs = 20_000) {
  const child = fork(script, args, {
    execArgv: ['--expose-gc', ...extraExecArgv],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    env: { ...process.env, DEBUG: '' },
  });
  liveChildren.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    // Keep the tail only: a child that logs in a loop must not grow the bench's memory.
    stderr = (stderr + chunk).slice(-2_000);
  });
  /** @type {ReadyMessage} */
  const ready = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ready: false, error: `not ready within ${timeoutMs} ms` }), timeoutMs);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(/** @type {ReadyMessage} */ (message));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ ready: false, error: `exited with code ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}` });
    });
  });
  const started = new Child(child, ready.ready ? ready.info : undefined);
  if (!ready.ready) {
    await started.stop();
    throw new Error(ready.error);
  }
  return started;
}
