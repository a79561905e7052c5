/**
 * What the tour tells to check when a step fails on a real org (here an emulated org given by variables, its faults
 * injected): a credential's variables when Okta refused it, none when Okta itself failed (a 5xx) or its rate limit was
 * spent (a 429), which no setting of the user's causes; for a 429, to try again after the reset (rev165a: "Check
 * OKTA_CLIENT_TOKEN" for a 500 and for a 429).
 */
import { startEmulator, type FaultSpec } from '@org/okta-emulator';
import { describe, it } from 'vitest';
import { readTourConfig } from '../config.js';
import { terminalUi } from '../ui/ui.js';
import { runTour } from './run-tour.js';

/** An hour from now, in whole seconds: a reset the tour does not wait for. */
const resetInAnHour = (): string => String(Math.floor(Date.now() / 1000) + 3600);

const TOKEN_ENDPOINT = '/oauth2/v1/token';
const LIST = '/api/v1/users';

describe.concurrent('a step that fails on a real org', () => {
  it.for<readonly [string, 'token' | 'app', FaultSpec, readonly string[], string | undefined]>([
    // [what, the credential, the fault, the variables to check, the advice]
    ['a 500 at the API', 'token', { path: LIST, kind: 'status', status: 500 }, [], undefined],
    ['a 503 at the token endpoint', 'app', { path: TOKEN_ENDPOINT, kind: 'status', status: 503 }, [], undefined],
    ['a 429 at the API, its reset an hour away', 'token', { path: LIST, kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': resetInAnHour() } }, [], "Okta's rate limit for these calls is spent: try again after the reset."],
    ['a 429 at the token endpoint, its reset an hour away', 'app', { path: TOKEN_ENDPOINT, kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': resetInAnHour() } }, [], "Okta's rate limit for these calls is spent: try again after the reset."],
    // Okta refused the credential: its variables, as before.
    ['a 403 at the API', 'token', { path: LIST, kind: 'status', status: 403 }, ['OKTA_CLIENT_TOKEN'], undefined],
  ])('%s', async ([, credential, fault, variables, advice], { expect }) => {
    const org = await startEmulator({ seed: { users: 3 } });
    try {
      const app = org.createServiceApp({ keyType: 'EC', scopes: ['okta.users.read'] });
      const env =
        credential === 'token'
          ? { OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_TOKEN: org.createApiToken().token }
          : { OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_CLIENTID: app.clientId, OKTA_CLIENT_SCOPES: 'okta.users.read', OKTA_CLIENT_PRIVATEKEY: app.privateKeyPem, OKTA_CLIENT_KEYID: app.keyId };
      org.injectFault({ ...fault });
      let printed = '';
      const ui = terminalUi({ write: (text: string) => (printed += text) }, { color: false, animate: false });
      const report = await runTour(readTourConfig(env), ui);
      const step = report.steps.find((s) => s.id === (credential === 'token' ? 'api-token' : 'service-app'));
      expect(step).toMatchObject({ status: 'failed', variables });
      expect(step?.advice).toBe(advice);
      const told = printed.split('\n').filter((line) => /^ {2}! (?!Failed)/.test(line));
      expect(told).toEqual([...(variables.length > 0 ? [`  ! Check ${variables.join(', ')}.`] : []), ...(advice === undefined ? [] : [`  ! ${advice}`])]);
    } finally {
      await org.close();
    }
  });
});
