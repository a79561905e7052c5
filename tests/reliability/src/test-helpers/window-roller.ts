/**
 * The soak's clock, counted in requests: the org (an emulator in its own process, its `Date.now`
 * frozen: `startRemoteEmulator(…, { frozenNowMs })`) and the clients (this process, `Date` faked)
 * read one virtual time, which moves only when the soak moves it, never with the machine's pace.
 *
 * Every request of the soak goes through one gate (the credentials' `next` fetch). A move holds new
 * requests, waits until none is in flight, sets the org's clock offset and this process's `Date`
 * to the new time, then lets them go: no answer is ever in flight across a move, so the org and the
 * clients never disagree on the time.
 *
 * - {@link requestClock}: token expiries. Time moves `msPerRequest` per request, `step` requests at
 *   a time, so a token of 8 s renews after the same number of requests on any machine.
 * - {@link windowRoller}: rate-limit windows of `/api/v1/users`. When a window's remaining quota
 *   drops below `lowWater` (twice the soak's concurrency: the requests in flight, answered in any
 *   order, cannot use it up before the move), time moves to one second before the window's reset:
 *   more requests than quota go out, the surplus is refused, and those clients wait for Okta's
 *   reset (X-Rate-Limit-Reset − Date + 1 s: 2 s). Time stays there until every refused request's
 *   client is waiting to send its retry (the clients' `backoff` and `retry` events); then it moves to
 *   the reset and all of them go into a fresh window of `limit` requests, more than the soak has
 *   workers. With this process's `setTimeout` the soak's too ({@link VirtualClock.fakeTimers}), the
 *   2 s are not waited for: once every refused client sleeps, their sleeps are ended on the soak's
 *   clock ({@link VirtualClock.wake}), and a client that did not sleep would never send its retry.
 */
import { vi } from 'vitest';
import type { OktaLogEvent } from '@org/okta-auth-core';
import type { RemoteOrg } from './remote-org.js';

/** One time for the org and the clients, moved only by the soak. */
export interface VirtualClock {
  now(): number;
  /** Moves both clocks to `ms` (call with no request in flight). */
  set(ms: number): Promise<void>;
  /** From now on this process's `setTimeout` is faked too: a timer fires only when {@link wake} ends it. */
  fakeTimers(): void;
  /** Whether {@link fakeTimers} was called. */
  readonly timersFaked: boolean;
  /** Fires the timers due within `ms` of now, leaving both clocks where they are (the sleeps of clients that wait `ms`). */
  wake(ms: number): void;
}

/** Fakes this process's `Date` at `startMs` (the org's frozen `Date.now`); `vi.useRealTimers()` ends it. */
export function virtualClock(org: RemoteOrg, startMs: number): VirtualClock {
  vi.useFakeTimers({ toFake: ['Date'], now: startMs });
  let timersFaked = false;
  return {
    now: () => Date.now(),
    async set(ms) {
      await org.setClockOffset((ms - startMs) / 1000);
      vi.setSystemTime(ms);
    },
    fakeTimers() {
      vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'], now: Date.now() });
      timersFaked = true;
    },
    get timersFaked() {
      return timersFaked;
    },
    wake(ms) {
      const now = Date.now();
      vi.advanceTimersByTime(ms);
      vi.setSystemTime(now);
    },
  };
}

/** Lets requests through, or holds them while a move runs; counts what is in flight. */
function gate() {
  let inFlight = 0;
  let idle: (() => void) | undefined;
  let held: Promise<void> | undefined;
  let refusals = 0;
  const drained = (): Promise<void> => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = resolve)));
  return {
    holding: (): boolean => held !== undefined,
    /** 429s answered so far (counted before the request stops being in flight). */
    refusals: (): number => refusals,
    async send(input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1]): Promise<Response> {
      while (held !== undefined) await held;
      inFlight++;
      try {
        const response = await fetch(input, init);
        if (response.status === 429) refusals++;
        return response;
      } finally {
        inFlight--;
        if (inFlight === 0) idle?.();
      }
    },
    /** Holds new requests, waits until none is in flight, runs `move`, lets them go. */
    hold(move: () => Promise<void>): void {
      held = drained()
        .then(move)
        .finally(() => {
          held = undefined;
        });
    },
    async settled(): Promise<void> {
      while (held !== undefined) await held;
    },
  };
}

export interface RequestClock {
  fetch: typeof fetch;
  /** Virtual milliseconds since the clock started. */
  elapsedMs(): number;
  settled(): Promise<void>;
}

/** Time that moves `msPerRequest` per request sent, `step` requests at a time. */
export function requestClock(clock: VirtualClock, { msPerRequest, step }: { msPerRequest: number; step: number }): RequestClock {
  const door = gate();
  const start = clock.now();
  let sent = 0;
  return {
    fetch: (input, init) => {
      if (++sent % step === 0) door.hold(() => clock.set(clock.now() + step * msPerRequest));
      return door.send(input, init);
    },
    elapsedMs: () => clock.now() - start,
    settled: () => door.settled(),
  };
}

export interface WindowRoller {
  fetch: typeof fetch;
  /** The clients' log events (every credential's logger): when the refused clients wait and retry. */
  observe(event: OktaLogEvent): void;
  /** Windows whose quota ran low and were closed. */
  windows(): number;
  /** Closed windows in which some request was refused (429). */
  refusedWindows(): number;
  /** Waits for a move under way. */
  settled(): Promise<void>;
}

const BUCKET = '/api/v1/users';

export function windowRoller(clock: VirtualClock, { lowWater }: { lowWater: number }): WindowRoller {
  const door = gate();
  /** The reset of the window being closed (time moved to just before it), if any. */
  let closing: number | undefined;
  const closed = new Set<number>();
  const refused = new Set<number>();
  /**
   * 429s the clients have read (a `response` event: its `backoff` comes in the same turn), clients
   * waiting to retry one, back-offs not yet woken (faked timers) and the longest of their waits.
   */
  const count = { read: 0, sleeping: 0, unwoken: 0, longestMs: 0 };
  let ready: (() => void) | undefined;
  const retriesWaiting = (): boolean => count.read >= door.refusals() && count.sleeping === 0;

  return {
    async fetch(input, init) {
      const response = await door.send(input, init);
      if (new URL(input instanceof Request ? input.url : String(input)).pathname !== BUCKET) return response;
      const reset = Number(response.headers.get('x-rate-limit-reset'));
      const remaining = Number(response.headers.get('x-rate-limit-remaining'));
      if (response.status === 429) refused.add(reset);
      if (door.holding()) return response;
      if (closing === undefined && remaining < lowWater && !closed.has(reset)) {
        closed.add(reset);
        closing = reset;
        door.hold(() => clock.set(Math.max(clock.now(), (reset - 1) * 1000)));
      } else if (closing !== undefined && response.status === 429) {
        const next = closing * 1000;
        closing = undefined;
        door.hold(async () => {
          // Looked at again on each client event: a 429 read last has its `backoff` logged just after.
          while (!retriesWaiting()) {
            if (clock.timersFaked && count.read >= door.refusals() && count.unwoken > 0) {
              // Every refused client has logged its back-off; a turn later each sleep is armed.
              await new Promise<void>((resolve) => setImmediate(resolve));
              const longest = count.longestMs;
              count.unwoken = 0;
              count.longestMs = 0;
              clock.wake(longest);
              continue;
            }
            await new Promise<void>((resolve) => (ready = resolve));
          }
          await clock.set(next);
        });
      }
      return response;
    },
    observe(event) {
      if (event.type === 'response' && event.status === 429) count.read++;
      if (event.type === 'backoff') {
        count.sleeping++;
        count.unwoken++;
        count.longestMs = Math.max(count.longestMs, event.waitMs);
      }
      if (event.type === 'retry' && event.reason === 'rate-limit') count.sleeping--;
      if (retriesWaiting() || (clock.timersFaked && count.read >= door.refusals() && count.unwoken > 0)) ready?.();
    },
    windows: () => closed.size,
    refusedWindows: () => [...closed].filter((reset) => refused.has(reset)).length,
    settled: () => door.settled(),
  };
}
