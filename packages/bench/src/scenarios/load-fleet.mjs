// The load generator processes of a run, driven as one: connections are split between them and
// their counters summed.

import { startChild } from '../harness/child-process.mjs';
import { settings } from '../settings.mjs';

const generatorScript = new URL('../load/load-generator.mjs', import.meta.url);

/**
 * @typedef {{ port: number, path: string, count: number, mode: import('../load/client-session.mjs').SessionMode, socketIo: boolean }} ConnectRequest
 */

export class LoadFleet {
  /** @param {import('../harness/child-process.mjs').Child[]} generators */
  constructor(generators) {
    this.generators = generators;
  }

  static async start() {
    const generators = [];
    for (let index = 0; index < settings.loadGenerators; index++) generators.push(await startChild(generatorScript, []));
    return new LoadFleet(generators);
  }

  /**
   * Opens `count` sessions in total; throws when any handshake fails, with the first reason.
   * @param {ConnectRequest} request
   */
  async connect(request) {
    const shares = this.generators.map((_generator, index) =>
      Math.floor(request.count / this.generators.length) + (index < request.count % this.generators.length ? 1 : 0),
    );
    const timeoutMs = settings.stepTimeoutMs;
    const outcomes = await Promise.all(
      this.generators.map((generator, index) =>
        generator.request(
          'connect',
          { ...request, count: shares[index], concurrency: settings.connectConcurrency, timeoutMs: 20_000 },
          timeoutMs,
        ),
      ),
    );
    const failed = outcomes.reduce((sum, outcome) => sum + outcome.failed, 0);
    if (failed > 0) {
      const reason = outcomes.find((outcome) => outcome.firstError)?.firstError;
      throw new Error(`${failed} of ${request.count} ${request.mode} handshakes failed: ${reason}`);
    }
  }

  async resetEvents() {
    await Promise.all(this.generators.map((generator) => generator.request('reset-events')));
  }

  /**
   * Waits until the generators together received `expected` events.
   * @param {number} expected
   */
  async waitForEvents(expected) {
    const deadline = Date.now() + settings.stepTimeoutMs;
    let received = 0;
    while (Date.now() < deadline) {
      const counts = await Promise.all(this.generators.map((generator) => generator.request('events')));
      received = counts.reduce((sum, count) => sum + count, 0);
      if (received >= expected) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`only ${received} of ${expected} events arrived within ${settings.stepTimeoutMs} ms`);
  }

  /** @param {number} perClient */
  async runAcks(perClient) {
    const timeoutMs = settings.stepTimeoutMs;
    await Promise.all(this.generators.map((generator) => generator.request('acks', { perClient, timeoutMs }, timeoutMs + 1_000)));
  }

  async closeAll() {
    await Promise.all(this.generators.map((generator) => generator.request('close-all')));
  }

  async stop() {
    await Promise.all(this.generators.map((generator) => generator.stop()));
  }
}
