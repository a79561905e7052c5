/**
 * Rolls the emulator's per-minute rate-limit windows of `/api/v1/users` by counts of requests, so a
 * soak goes through many windows without waiting a minute for each, whatever the machine's pace.
 *
 * It is the `next` fetch under the credentials. When a window's remaining quota drops below
 * `lowWater` (the soak's concurrency: the requests in flight could use it up), it holds new requests,
 * waits until none is in flight, moves the org's clock so the window ends `endsIn` seconds later,
 * then lets them go: more requests than quota go out at once, the surplus is refused with a reset
 * a few seconds away, and those clients wait for it (X-Rate-Limit-Reset − Date + 1 s, as Okta
 * says). When the first answer from the next window arrives, it holds requests again and moves the
 * clock back to real time (a fresh window opens), so the org's clock never drifts far from the
 * clients' (DPoP proofs carry the client's time). No answer is ever in flight across a clock move.
 * A window that ended before the held requests reached it (a slow machine) gives the next one
 * twice as long, up to 30 s.
 */
import type { RemoteOrg } from './remote-org.js';

export interface WindowRoller {
  fetch: typeof fetch;
  /** Windows whose quota ran low and were closed. */
  windows(): number;
  /** Closed windows in which some request was refused (429). */
  refusedWindows(): number;
  /** Moves the clock back to real time once the soak is over. */
  done(): Promise<void>;
}

const BUCKET = '/api/v1/users';

export function windowRoller(org: RemoteOrg, { lowWater, endsIn: initialEndsIn = 2 }: { lowWater: number; endsIn?: number }): WindowRoller {
  let inFlight = 0;
  let idle: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  /** The reset of the window being closed (the clock is moved forward), if any. */
  let closing: number | undefined;
  let endsIn = initialEndsIn;
  const closed = new Set<number>();
  const refused = new Set<number>();

  /** Whether requests are held (read through a call: it changes while a request awaits). */
  const holding = (): boolean => gate !== undefined;
  const drained = (): Promise<void> => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = resolve)));
  const hold = (move: () => Promise<void>): void => {
    gate = drained()
      .then(move)
      .finally(() => {
        gate = undefined;
      });
  };

  const rolling: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname !== BUCKET) return fetch(input, init);
    while (gate !== undefined) await gate;
    inFlight++;
    let response: Response;
    try {
      response = await fetch(input, init);
    } finally {
      inFlight--;
      if (inFlight === 0) idle?.();
    }
    const reset = Number(response.headers.get('x-rate-limit-reset'));
    const remaining = Number(response.headers.get('x-rate-limit-remaining'));
    if (response.status === 429) refused.add(reset);
    if (holding()) return response;
    if (closing === undefined && remaining < lowWater && !closed.has(reset)) {
      closed.add(reset);
      closing = reset;
      // The window ends between `endsIn` − 1 and `endsIn` seconds from the move (reset is rounded up).
      hold(() => org.setClockOffset(reset - endsIn - Date.now() / 1000));
    } else if (closing !== undefined && reset > closing) {
      if (!refused.has(closing)) endsIn = Math.min(30, endsIn * 2);
      closing = undefined;
      hold(() => org.setClockOffset(0));
    }
    return response;
  };

  return {
    fetch: rolling,
    windows: () => closed.size,
    refusedWindows: () => [...closed].filter((reset) => refused.has(reset)).length,
    async done() {
      while (gate !== undefined) await gate;
      await org.setClockOffset(0);
    },
  };
}
