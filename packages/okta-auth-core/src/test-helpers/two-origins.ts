import { json, startOrgForTest, startScriptedServer, type ScriptedServer } from '@org/okta-test-utils';
import { it } from 'vitest';
import { useScriptedServer } from './scripted-server.js';

/** The org's scripted server and another origin's, which answers 200 `{ stolen: true }` to whatever reaches it. */
export interface TwoOrigins {
  /** The running test's org. */
  readonly okta: ScriptedServer;
  /** Another origin: a credential must never reach it. */
  readonly elsewhere: ScriptedServer;
}

/** Starts both servers before each test of the file and closes them after; read the fields inside tests. */
export function useTwoOrigins(): TwoOrigins {
  return { okta: useScriptedServer(), elsewhere: useScriptedServer((_req, res) => json(res, 200, { stolen: true })) };
}

/**
 * `it` with both servers of the test's own as its `origins` fixture (closed when the test ends): for
 * tests that run at once (`describe.concurrent`), where {@link useTwoOrigins}' would be every running test's.
 */
export const itWithTwoOrigins = it.extend<{ origins: TwoOrigins }>({
  // Each closed by the test's `onTestFinished`, registered before its start (`startOrgForTest`), as `itWithScriptedServer`'s.
  origins: async ({ onTestFinished }, use) => {
    const { org: okta } = await startOrgForTest({ onTestFinished }, () => startScriptedServer(), () => ({}));
    const { org: elsewhere } = await startOrgForTest({ onTestFinished }, () => startScriptedServer((_req, res) => json(res, 200, { stolen: true })), () => ({}));
    await use({ okta, elsewhere });
  },
});
