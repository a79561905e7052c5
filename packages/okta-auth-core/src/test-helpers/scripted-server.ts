import { startOrgForTest, startScriptedServer, useOrgPerTest, type Handler, type ScriptedServer } from '@org/okta-test-utils';
import { it } from 'vitest';

/**
 * A scripted server (`@org/okta-test-utils`) for each test of the file or `describe` block: started
 * before each test with `handler` (none: every request answered with an empty 200) and closed after,
 * by the one org-per-test lifecycle (`useOrgPerTest`: a server whose start outlasts its timed-out
 * before hook is closed once it comes, never handed to the next test).
 * The object returned reads the running test's server, so a test uses it as the server itself
 * (`okta.url`, `okta.requests`, `okta.handle(…)`), and so may `handler` (`okta.requests.length`).
 */
export function useScriptedServer(handler?: Handler): ScriptedServer {
  const env = useOrgPerTest(() => startScriptedServer(handler), () => ({}), 'useScriptedServer');
  return {
    get url() {
      return env.org.url;
    },
    get origin() {
      return env.org.origin;
    },
    get requests() {
      return env.org.requests;
    },
    handle: (next) => env.org.handle(next),
    close: () => env.org.close(),
  };
}

/**
 * `it` with a scripted server of the test's own as its `okta` fixture, started with `handler` (none:
 * every request answered with an empty 200) and closed when the test ends: for tests that run at once
 * (`describe.concurrent`), where the one server of {@link useScriptedServer} would be every running test's.
 */
export function scriptedServerIt(handler?: Handler) {
  return it.extend<{ okta: ScriptedServer }>({
    // Closed by the test's `onTestFinished`, registered before the start (`startOrgForTest`): a test that timed out
    // while its server was starting never gets `use` to return, and its server is closed once it comes.
    okta: async ({ onTestFinished }, use) => {
      await use((await startOrgForTest({ onTestFinished }, () => startScriptedServer(handler), () => ({}))).org);
    },
  });
}

/** {@link scriptedServerIt} with the empty 200 handler. */
export const itWithScriptedServer = scriptedServerIt();
