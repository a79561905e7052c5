import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, requireBuiltCli, runCli, sandbox, type CliResult, type Sandbox } from '../test-helpers/cli.js';

let org: OktaEmulator;
let box: Sandbox;
let revoked: { id: string; token: string };
let liveToken: string;
/** The two `doctor` runs against hostile orgs, started before the tests (see {@link startHostileRuns}). */
let hostile: Awaited<ReturnType<typeof startHostileRuns>>;
const usersRead = ['okta.users.read'];

beforeAll(async () => {
  requireBuiltCli();
  org = await startEmulator({ seed: { users: 2 } });
  const live = org.createApiToken();
  liveToken = live.token;
  revoked = org.createApiToken();
  const dpopApp = org.createServiceApp({ scopes: usersRead, requireDpop: true });
  const bearerApp = org.createServiceApp({ scopes: usersRead, requireDpop: false });
  const twoKeys = org.createServiceApp({ scopes: usersRead, keyCount: 2 });
  const oin = org.createOinApp({ scopes: usersRead });
  // A JWK kept after its key's rotation (the new key added, the old one deactivated at the app).
  const rotated = org.createServiceApp({ scopes: usersRead, keyType: 'EC' });
  org.addAppKey(rotated.clientId, { keyType: 'EC' });
  org.deactivateAppKey(rotated.clientId, rotated.keyId);
  const service = (app: typeof dpopApp, extra: Record<string, unknown> = {}) => ({ orgUrl: org.url, clientId: app.clientId, keyId: app.keyId, privateKey: app.privateKeyPem, scopes: usersRead, ...extra });
  box = sandbox();
  box.writeYaml('cwd', {
    client: { orgUrl: org.url, token: live.token },
    profiles: {
      revoked: { orgUrl: org.url, token: revoked.token },
      service: service(dpopApp),
      'wrong-kid': service(twoKeys, { keyId: 'not-a-registered-kid' }),
      'deactivated-jwk': { orgUrl: org.url, authorizationMode: 'PrivateKey', clientId: rotated.clientId, privateKey: JSON.stringify(rotated.privateJwk), scopes: usersRead },
      'token-as-kid': service(dpopApp, { keyId: `SSWS ${live.token}` }),
      'not-a-key': service(dpopApp, { privateKey: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----' }),
      'not-a-key-no-client-id': { orgUrl: org.url, authorizationMode: 'PrivateKey', privateKey: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----', scopes: usersRead },
      'missing-scope': service(dpopApp, { scopes: 'okta.users.read okta.groups.read okta.users.manage' }),
      'no-scope-granted': service(dpopApp, { scopes: 'okta.groups.read okta.users.manage' }),
      'misspelt-scope': service(dpopApp, { scopes: 'okta.users.read okta.user.read okta.groups.read' }),
      'dpop-off': service(dpopApp, { dpop: 'off' }),
      'dpop-required': service(bearerApp, { dpop: 'required' }),
      oin: { orgUrl: org.url, authorizationMode: 'ClientSecret', clientId: oin.clientId, clientSecret: 'not-the-secret', scopes: usersRead },
      admin: { orgUrl: 'https://acme-admin.okta.com', token: live.token },
      unreachable: { orgUrl: `http://127.0.0.1:${await closedPort()}`, token: live.token },
    },
  });
  hostile = await startHostileRuns(org.createApiToken().token);
});

afterAll(async () => {
  await hostile.close();
  await org.close();
  box.remove();
});

/**
 * Hostile answers the emulator will not give: a listener that reads and never writes, and an
 * answer whose headers come and whose body never ends; `doctor` run against each. Each run waits
 * out doctor's 15 s bound on an answer, a wait of the code under test: started with the file, the
 * two wait beside the other tests (nothing they share changes), and their test awaits them.
 */
async function startHostileRuns(token: string): Promise<{ runs: Promise<[CliResult, CliResult]>; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const silent = createTcpServer((socket) => sockets.push(socket.on('data', () => undefined)));
  const halfway = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"issuer":');
  });
  const listen = (server: Server | ReturnType<typeof createTcpServer>) =>
    new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  const [silentUrl, halfwayUrl] = await Promise.all([listen(silent), listen(halfway)]);
  const run = (orgUrl: string) => runCli(['doctor'], { cwd: box.dir, env: { ...box.env, OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: token }, timeoutMs: 60_000 });
  const runs = Promise.all([run(silentUrl), run(halfwayUrl)]);
  return {
    runs,
    close: async () => {
      await runs.catch(() => undefined);
      for (const socket of sockets) socket.destroy();
      halfway.closeAllConnections();
      await Promise.all([new Promise((resolve) => silent.close(resolve)), new Promise((resolve) => halfway.close(resolve))]);
    },
  };
}

const doctor = (profile?: string) => runCli(profile === undefined ? ['doctor'] : ['--profile', profile, 'doctor'], { cwd: box.cwd, env: box.env });

describe('okta-auth doctor', () => {
  it('a healthy API token: every step ok, exit 0', async () => {
    const result = await doctor();
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).not.toMatch(/\[FAIL\]/);
    for (const step of ['Configuration: profile default, authorizationMode SSWS', `Org URL ${org.url}`, `Reach ${org.url}`, 'Clock', 'API call GET /api/v1/users?limit=1', 'Rate limit']) {
      expect(result.stdout).toContain(step);
    }
    expect(result.stdout).toMatch(/\[ok\]\s+Rate limit\n\s+\d+ of 600 requests left for \/api\/v1\/users/);
  });

  it('a healthy service app: key, kid, token request, DPoP required', async () => {
    const result = await doctor('service');
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/\[ok\]\s+Private key: RSA 2048 bits, kid \S+/);
    expect(result.stdout).toMatch(/\[ok\]\s+DPoP: the app requires it/);
  });

  it('a revoked API token', async () => {
    org.revokeApiToken(revoked.id);
    const result = await doctor('revoked');
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/\[FAIL\] API call GET \/api\/v1\/users\?limit=1\n.*401 E0000011.*revoked, expired after 30 days unused, or its admin is inactive.*\n\s+fix: create a new token/);
    expect(result.stdout).not.toContain(revoked.token);
  });

  it('a kid the app does not have', async () => {
    const result = await doctor('wrong-kid');
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/\[FAIL\] Key id \(kid\)\n.*invalid_client.*kid.*\n\s+fix: set keyId to the KID/);
  });

  // The kid is the JWK's own: no keyId to set, the key itself is not one of the app's (ru143).
  it("a JWK whose key was deactivated at the app: its own kid is not an active key of the app, not a keyId to set", async () => {
    const result = await doctor('deactivated-jwk');
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/\[ok\]\s+Private key: EC prime256v1, kid \S+ \(from the JWK\)\n\[FAIL\] Key id \(kid\)\n.*invalid_client.*kid.*\n\s+fix: this kid, the JWK's own, is not an active key of the app \(deactivated, removed or never added\): use the private key of one of its active public keys, or reactivate this one/);
    expect(result.stdout).not.toMatch(/set keyId/);
  });

  // One cause, one finding: the credential built after a refused key is refused for the same key
  // (before, a second [FAIL] Client settings repeated it and the summary counted 2 problems).
  // One doctor run per profile serves both checks (the keyId one had a run of its own, the same output).
  const oneFailure = (stdout: string): void => {
    expect(stdout.match(/\[FAIL\]/g)).toEqual(['[FAIL]']);
    expect(stdout).toMatch(/\n1 problem found\.\n$/);
  };

  it('a keyId that is not a key id (an API token pasted with SSWS) is refused as okta-oauth refuses it, never printed, one failure', async () => {
    const result = await doctor('token-as-kid');
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/\[FAIL\] Private key: RSA 2048 bits\n\s+keyId is not a key id: give the kid of the app's public key in Okta/);
    expect(result.stdout + result.stderr).not.toContain(liveToken.slice(0, 12));
    oneFailure(result.stdout);
  });

  it('a refused private key (not-a-key) is one failure, not a second one for the client settings', async () => {
    const result = await doctor('not-a-key');
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/it is not a readable private key/);
    oneFailure(result.stdout);
  });

  // The key is not the credential's only setting: another one missing is its own problem, still named.
  it('a refused private key and a missing clientId are two failures', async () => {
    const result = await doctor('not-a-key-no-client-id');
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/\[FAIL\] Private key\n\s+it is not a readable private key/);
    expect(result.stdout).toMatch(/\[FAIL\] Client settings\n\s+authorizationMode PrivateKey needs clientId/);
    expect(result.stdout).toMatch(/\n2 problems found\.\n$/);
  });

  const grantFix = '\n       fix: grant them in the Admin Console (Applications › the app › Okta API Scopes), or remove them from scopes\n';

  // Okta grants the requested scopes the app has and leaves the others out of the token (the emulator's FIDELITY T13):
  // the token request succeeds, so only the answer's scope tells (before: "No problems found", exit 0).
  it('scopes Okta left out of the token (a narrower grant than requested) are a failure naming them, with the fix', async () => {
    const result = await doctor('missing-scope');
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/\[FAIL\] Scopes: requested okta\.users\.read okta\.groups\.read okta\.users\.manage\n\s+not granted to the app: okta\.groups\.read okta\.users\.manage; granted: okta\.users\.read/);
    expect(result.stdout).toContain(grantFix);
    expect(result.stdout).not.toContain('Token request:');
    // The token works for what was granted: the other checks go on.
    expect(result.stdout).toMatch(/\[ok\]\s+DPoP: the app requires it/);
    expect(result.stdout).toMatch(/\[ok\]\s+API call GET \/api\/v1\/users\?limit=1\n\s+200/);
    expect(result.stdout).toMatch(/\n1 problem found\.\n$/);
  });

  it('none of the scopes granted (Okta\'s consent_required, "You are not allowed any of the requested scopes.") names them all, with the same fix', async () => {
    const result = await doctor('no-scope-granted');
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/\[FAIL\] Scopes: requested okta\.groups\.read okta\.users\.manage\n\s+not granted to the app: okta\.groups\.read okta\.users\.manage\n/);
    expect(result.stdout).toContain(grantFix);
  });

  it('a misspelt scope (invalid_scope) beside an ungranted one: each is tried alone and both named', async () => {
    const result = await doctor('misspelt-scope');
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/\[FAIL\] Scopes: requested okta\.users\.read okta\.user\.read okta\.groups\.read\n\s+not granted to the app: okta\.user\.read okta\.groups\.read; granted: okta\.users\.read/);
  });

  it('DPoP: required by the app but turned off, and required by the profile but not by the app', async () => {
    const off = await doctor('dpop-off');
    expect(off.code).toBe(6);
    expect(off.stdout).toMatch(/\[FAIL\] DPoP: the app requires it\n.*dpop: off/);
    const required = await doctor('dpop-required');
    expect(required.code).toBe(6);
    expect(required.stdout).toMatch(/\[FAIL\] DPoP: the app does not require it/);
  });

  it('a wrong client secret', async () => {
    const result = await doctor('oin');
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/\[FAIL\] Client authentication\n.*invalid_client.*\n\s+fix: check clientId and clientSecret/);
    expect(result.stdout).not.toContain('not-the-secret');
  });

  // A failed token answer naming no OAuth error has no error_description (okta-oauth's failureFields):
  // the finding says what the answer was, from the message, never "Okta answered an error: " and nothing.
  it.each([
    ['an HTML page (502)', { kind: 'html' }, /\[FAIL\] Token request\n\s+Okta's token endpoint could not answer the token request \(502\): the response was an HTML page/],
    ['an OAuth error without a description', { kind: 'status', status: 400, body: { error: 'invalid_request' } }, /\[FAIL\] Token request\n\s+Okta answered invalid_request\n/],
  ] as const)('a token answer of %s is said as it was', async (_name, fault, said) => {
    org.injectFault({ path: '/oauth2/v1/token', count: 1, ...fault });
    try {
      const result = await doctor('service');
      expect(result.code).toBe(6);
      expect(result.stdout).toMatch(said);
      expect(result.stdout).not.toMatch(/Okta answered [^\n]*: *\n/);
    } finally {
      org.clearFaults();
    }
  });

  it('a clock ten minutes off Okta’s Date', async () => {
    org.setClockOffset(600);
    try {
      const result = await doctor();
      expect(result.code).toBe(6);
      // The estimate is Okta's Date (whole seconds) against the middle of the round trip: on a busy
      // machine a slow round trip puts it a second or more either side of 600.
      expect(result.stdout).toMatch(/\[FAIL\] Clock\n\s+this machine's clock is (59\d|60\d) s behind Okta's.*\n\s+fix: synchronise the clock/);
    } finally {
      org.setClockOffset(0);
    }
  });

  it('an admin-console URL and an unreachable org stop early with what to fix', async () => {
    const admin = await doctor('admin');
    expect(admin.code).toBe(6);
    expect(admin.stdout).toMatch(/\[FAIL\] Org URL .*\n.*Admin Console domain.*use "https:\/\/acme\.okta\.com"/);
    const unreachable = await doctor('unreachable');
    expect(unreachable.code).toBe(6);
    expect(unreachable.stdout).toMatch(/\[FAIL\] Reach http:\/\/127\.0\.0\.1:\d+\n\s+no answer \(ECONNREFUSED\)/);
  });

  it('an API token given as the org URL (the variables swapped) is never printed', async () => {
    const token = org.createApiToken().token;
    const result = await runCli(['doctor'], { cwd: box.dir, env: { ...box.env, OKTA_CLIENT_ORGURL: token, OKTA_CLIENT_TOKEN: token } });
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/\[FAIL\] Org URL \(from \$OKTA_CLIENT_ORGURL\)\n.*is not a valid URL: it should look like "https:\/\/acme\.okta\.com"/);
    expect(result.stdout + result.stderr).not.toContain(token.slice(0, 12));
  });

  it('the rate limit nearly used up', async () => {
    org.setRateLimit('/api/v1/users', 20);
    try {
      for (let i = 0; i < 18; i++) await fetch(`${org.url}/api/v1/users`);
      const result = await doctor();
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/\[warn\] Rate limit\n\s+1 of 20 requests left/);
    } finally {
      org.setRateLimit('/api/v1/users', 600);
    }
  });

  // doctor asks once (retry: false, so a 429 is reported, not waited out): said in the CLI's words, as every
  // library message the CLI prints, never as the library option it set (ru143).
  it('the rate limit used up: the 429 is not retried, said in the CLI’s words, not a library option', async () => {
    org.setRateLimit('/api/v1/users', 2);
    try {
      for (let i = 0; i < 2; i++) await fetch(`${org.url}/api/v1/users`);
      const result = await doctor();
      expect(result.code).toBe(6);
      expect(result.stdout).toMatch(/\[FAIL\] API call GET \/api\/v1\/users\?limit=1\n\s+429 E0000047 .*: not retried \(doctor asks once\)\n/);
      expect(result.stdout).not.toMatch(/retry: false|retry\.|maxWaitMs/);
      expect(result.stdout).toMatch(/\[FAIL\] Rate limit\n\s+0 of 2 requests left/);
    } finally {
      org.setRateLimit('/api/v1/users', 600);
    }
  });

  it('an org that accepts the connection and never answers, or stops halfway: a finding naming the wait, exit 6 (not 5)', async () => {
    const [never, stopped] = await hostile.runs;
    expect(never.code, never.stderr).toBe(6);
    expect(never.stdout).toMatch(/\[FAIL\] Reach http:\/\/127\.0\.0\.1:\d+\n\s+no answer: the org did not answer within 15 s\.\n\s+fix: check the domain name/);
    expect(stopped.code, stopped.stderr).toBe(6);
    expect(stopped.stdout).toMatch(/\[FAIL\] Reach http:\/\/127\.0\.0\.1:\d+\n\s+its answer \(200\) stopped before the end: not complete within 15 s\./);
    expect(never.stderr + stopped.stderr).toBe('');
  }, 90_000);
});
