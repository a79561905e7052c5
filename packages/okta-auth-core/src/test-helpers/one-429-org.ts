import { json, type ScriptedServer } from '@org/okta-test-utils';
import { afterEach, beforeEach, vi } from 'vitest';
import { useScriptedServer } from './scripted-server.js';

/** The 429's reset, past its `Date`: the client's own wait is that plus one second (`rateLimitWait`). */
export const resetAheadS = 30;
/** The client's own wait after the 429, in ms. */
export const ownWaitMs = (resetAheadS + 1) * 1000;

/**
 * A scripted org whose first answer is a 429 (Okta's `E0000047`, limit 600, none left) with a reset
 * {@link resetAheadS} seconds past its own `Date`, and every later answer `200 []`; with the test's
 * `setTimeout` faked (every timer of the client: the HTTP exchange stays real), so a wait is moved,
 * not waited for. Started before each test of the file and closed after; read `okta` inside tests.
 */
export function useOne429Org(): { readonly okta: ScriptedServer } {
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
  return { okta };
}
