// Builds the clients that cold start and churn compare: ours (service app
// credential + fetch wrapper) and @okta/okta-sdk-nodejs in PrivateKey mode.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Emulator settings for the OAuth benchmarks: Okta's per-minute limits lifted, so that they measure the clients. */
export const NO_RATE_LIMITS = { '*': 1e9, '/api/v1/users': 1e9, '/api/v1/users/{idOrLogin}': 1e9, '/oauth2/v1/token': 1e9 };

export function oursClient(modules, orgUrl, app, dpop) {
  const credential = modules.oauth.createServiceAppCredential({
    orgUrl,
    clientId: app.clientId,
    privateKey: app.privateKeyPem,
    keyId: app.keyId,
    scopes: ['okta.users.read'],
    dpop,
    allowInsecureLoopback: true,
  });
  const okta = modules.core.createOktaFetch({ credential });
  return async (userId) => (await okta(`/api/v1/users/${userId}`)).json();
}

export function sdkClient(orgUrl, app) {
  const okta = require('@okta/okta-sdk-nodejs');
  const client = new okta.Client({
    orgUrl,
    authorizationMode: 'PrivateKey',
    clientId: app.clientId,
    scopes: ['okta.users.read'],
    privateKey: app.privateKeyPem,
    keyId: app.keyId,
    cacheMiddleware: null, // every call makes its request (see the warm-path note)
    testing: { disableHttpsCheck: true },
  });
  return (userId) => client.userApi.getUser({ userId });
}

/** Total token-endpoint requests and their outcomes between two counter snapshots. */
export function tokenDelta(before, after) {
  const outcomes = {};
  let total = 0;
  for (const [grant, byOutcome] of Object.entries(after.tokenRequests)) {
    for (const [outcome, n] of Object.entries(byOutcome)) {
      const d = n - (before.tokenRequests[grant]?.[outcome] ?? 0);
      if (d > 0) {
        outcomes[outcome] = (outcomes[outcome] ?? 0) + d;
        total += d;
      }
    }
  }
  return { total, outcomes };
}

/** Resolves with the promise's value, or rejects after `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: did not finish within ${ms / 1000} s`)), ms);
    }),
  ]);
}

/** Short text for an error a caller saw. */
export function errorText(error) {
  const e = error ?? {};
  const code = e.code ?? e.status ?? e.name ?? 'Error';
  return `${code}: ${String(e.message ?? e).split('\n')[0].slice(0, 120)}`;
}
