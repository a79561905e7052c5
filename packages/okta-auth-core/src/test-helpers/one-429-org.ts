import { json, type ScriptedServer } from '@org/okta-test-utils';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import type { OktaLogEvent } from '../config/logger.js';
import { useScriptedServer } from './scripted-server.js';

/** The 429's reset, past its `Date`: the client's own wait is that plus one second (`rateLimitWait`). */
export const resetAheadS = 30;
/** The client's own wait after the 429, in ms. */
export const ownWaitMs = (resetAheadS + 1) * 1000;

/** What {@link useOne429Org} answers. */
export interface One429Org {
  /** The running test's scripted org. */
  readonly okta: ScriptedServer;
  /**
   * Moves the faked clock through the client's own wait after the 429 (`ownWaitMs`) and expects the
   * retry held until its last ms (one request, as the client's `request` events in `events` count them
   * and as the org saw them), then sent (two), and the call (`call`) answered the org's `[]`.
   */
  expectRetryHeld(events: readonly OktaLogEvent[], call: Promise<unknown>): Promise<void>;
}

/**
 * A scripted org whose first answer is a 429 (Okta's `E0000047`, limit 600, none left) with a reset
 * {@link resetAheadS} seconds past its own `Date`, and every later answer `200 []`; with the test's
 * `setTimeout` faked (every timer of the client: the HTTP exchange stays real), so a wait is moved,
 * not waited for. Started before each test of the file and closed after; read `okta` inside tests.
 */
export function useOne429Org(): One429Org {
  const okta = useScriptedServer((_req, res) => {
    if (okta.requests.length > 1) return json(res, 200, []);
    const second = Math.floor(Date.now() / 1000);
    json(res, 429, { errorCode: 'E0000047' }, { date: new Date(second * 1000).toUTCString(), 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(second + resetAheadS) });
  });
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldClearNativeTimers: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  return {
    okta,
    async expectRetryHeld(events, call) {
      const sent = () => events.filter((event) => event.type === 'request').length;
      await vi.advanceTimersByTimeAsync(ownWaitMs - 1);
      expect(sent()).toBe(1);
      expect(okta.requests).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(sent()).toBe(2);
      expect(await call).toEqual([]);
      expect(okta.requests).toHaveLength(2);
    },
  };
}
