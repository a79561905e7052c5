/**
 * `CallbackFlights`' bounds: the flight's work (the code exchange) is stopped a task after its
 * last caller gave up, a caller whose signal had fired before it joined included; and at most
 * 10,000 used transactions are remembered, the oldest forgotten first.
 */
import { describe, expect, it } from 'vitest';
import { CallbackFlights } from './callback-flights.js';

/** A flight's work that runs until its signal fires, and whether it did. */
function stoppable() {
  let seen: AbortSignal | undefined;
  const start = (signal: AbortSignal) => {
    seen = signal;
    return new Promise<string>((_, reject) => {
      signal.addEventListener('abort', () => {
        reject(new Error('stopped'));
      });
    });
  };
  return { start, stopped: () => seen?.aborted === true };
}
const aTaskLater = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('CallbackFlights', () => {
  it("stops the work a task after its only caller's signal had already fired when it called", async () => {
    const flights = new CallbackFlights<string>(() => 0, 1000);
    const { start, stopped } = stoppable();
    await expect(flights.run('s', 'f', start, AbortSignal.abort())).rejects.toMatchObject({ code: 'ABORTED' });
    await aTaskLater();
    expect(stopped()).toBe(true);
  });

  it('keeps the work going while a caller without a signal, or one whose signal has not fired, still waits', async () => {
    const flights = new CallbackFlights<string>(() => 0, 1000);
    const { start, stopped } = stoppable();
    const waiting = new AbortController();
    const first = flights.run('s', 'f', start, waiting.signal);
    const late = flights.run('s', 'f', start, AbortSignal.abort());
    await expect(late).rejects.toMatchObject({ code: 'ABORTED' });
    await aTaskLater();
    expect(stopped()).toBe(false);
    waiting.abort();
    await expect(first).rejects.toMatchObject({ code: 'ABORTED' });
    await aTaskLater();
    expect(stopped()).toBe(true);
  });

  it('remembers at most 10,000 used transactions, forgetting the oldest first', async () => {
    const flights = new CallbackFlights<string>(() => 0, 60_000);
    const start = () => Promise.resolve('done');
    for (let i = 0; i < 10_000; i++) await flights.run(`state-${i}`, 'f', start);
    await expect(flights.run('state-0', 'f', start)).rejects.toMatchObject({ code: 'STATE_MISMATCH' });
    await flights.run('state-10000', 'f', start);
    expect(await flights.run('state-0', 'f', start)).toBe('done'); // forgotten (Okta still refuses its code)
    await expect(flights.run('state-2', 'f', start)).rejects.toMatchObject({ code: 'STATE_MISMATCH' });
  });
});
