import { unprintable } from '@org/okta-auth-core/internal';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, runCli, type Run } from './test-helpers/cli.js';
import type { StepReport, TourReport } from './tour/run-tour.js';

let cli: { file: string; remove: () => void };
/**
 * The whole tour for a person reading a log, whose test is below: started with the file, so that its
 * waits (the device sign-in's polling interval, step 2's rate-limit wait, redis-server) pass beside the
 * --json tour's. Each tour is its own process with its own orgs and redis-server; nothing is shared.
 */
let readable: Promise<Run>;

/** A client secret, set beside the readable tour: no OKTA_CLIENT_* variable the tour reads, so it runs on the emulator and says it ignores this one. */
const CLIENT_SECRET = 'sentinel-client-secret-0123456789abcdefGHIJ';
/** The tour's one line on a client secret it does not use. */
const SECRET_UNUSED =
  "OKTA_CLIENT_CLIENTSECRET is set but not used: the tour's service app (step 2) signs with a private key, OKTA_CLIENT_PRIVATEKEY, not a client secret; an OIN partner app's client id and secret run on the emulated orgs only (step 3).";

beforeAll(async () => {
  cli = await bundleCli();
  readable = runCli(cli.file, [], { NO_COLOR: '1', OKTA_CLIENT_CLIENTSECRET: CLIENT_SECRET });
});

afterAll(async () => {
  await readable.catch(() => undefined);
  cli.remove();
});

function step(report: TourReport, id: string): StepReport & { figures: Record<string, any> } {
  const found = report.steps.find((s) => s.id === id);
  if (found === undefined) throw new Error(`no step ${id}`);
  return found as StepReport & { figures: Record<string, any> };
}

describe('pnpm demo --json, on the emulator', () => {
  let run: Run;
  let report: TourReport;

  // redis-server where the shell finds it (Homebrew puts it in /opt/homebrew/bin or /usr/local/bin), here a wrapper that says it ran.
  const bin = mkdtempSync(join(tmpdir(), 'okta-demo-bin-'));
  const used = join(bin, 'used');

  beforeAll(async () => {
    writeFileSync(join(bin, 'redis-server'), `#!/bin/sh\necho yes > '${used}'\nexec /usr/bin/redis-server "$@"\n`);
    chmodSync(join(bin, 'redis-server'), 0o755);
    run = await runCli(cli.file, ['--json'], { PATH: `${bin}:${process.env.PATH ?? ''}` });
    report = JSON.parse(run.stdout) as TourReport;
  });

  afterAll(() => {
    rmSync(bin, { recursive: true, force: true });
  });

  it('exits 0 and prints one JSON document, nothing else', () => {
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(report.ok).toBe(true);
    expect(report.mode).toBe('emulator');
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['api-token', 'ok'],
      ['service-app', 'ok'],
      ['oin-app', 'ok'],
      ['device-sign-in', 'ok'],
      ['fleet', 'ok'],
      ['system-log', 'ok'],
    ]);
    const fleet = step(report, 'fleet').figures;
    expect([fleet.grants, fleet.failed]).toEqual([1, 0]);
  });

  it('step 5 runs the redis-server found on PATH (not only /usr/bin/redis-server): brew install redis is enough, as the skip says', () => {
    expect(existsSync(used)).toBe(true);
  });

  it('step 1: an API token lists every user across pages; the request shown has the token masked', () => {
    const { figures } = step(report, 'api-token');
    expect(figures.users).toBe(302); // 300 seeded, the demo's admin and the org's seeded super admin
    expect(figures.pages).toBe(4);
    expect(figures.requests).toBe(4);
    expect(figures.request.headers.authorization).toMatch(/^SSWS \[redacted( ….{4})?\]$/);
  });

  it('step 2: the service app makes one token request for all its calls, and honours the rate-limit wait', () => {
    const { figures } = step(report, 'service-app');
    expect(figures.users).toBe(302);
    expect(figures.tokenRequests).toBe(1);
    expect(figures.orgCounted.tokenRequests).toBe(1);
    expect(figures.tokenType).toBe('DPoP');
    expect(figures.request.headers.dpop).toMatch(/^\[redacted/);
    expect(figures.throttled).toBe(1);
    expect(figures.waits).toBe(1);
    expect(figures.waitedMs).toBeGreaterThan(0);
    // Four pages plus the retry of the throttled one; the org saw every one of them.
    expect(figures.requests).toBe(5);
    expect(figures.orgCounted.userRequests).toBe(5);
  });

  it('step 3: each customer org gets its own token, never sent to the other org', () => {
    const { figures } = step(report, 'oin-app');
    expect(figures.orgs).toHaveLength(2);
    const [acme, globex] = figures.orgs;
    expect([acme.users, globex.users]).toEqual([302, 41]);
    expect([acme.tokenRequests, globex.tokenRequests]).toEqual([1, 1]);
    expect(acme.token).toMatch(/^sha256:[0-9a-f]{10}$/);
    expect(acme.token).not.toBe(globex.token);
    expect(figures.mixed).toBe(false);
    expect(figures.crossOrgStatus).toBe(401);
  });

  it("step 6: the System Log since the tour began holds its token grants, step 2's 429 and step 4's sign-out, read until caught up", () => {
    const { figures } = step(report, 'system-log');
    // Service app, OIN app in acme (globex is another org), the device sign-in and the fleet's one grant.
    expect(figures.eventTypes['app.oauth2.token.grant.access_token']).toBe(4);
    expect(figures.eventTypes['system.org.rate_limit.violation']).toBe(1);
    expect(figures.eventTypes['app.oauth2.token.revoke']).toBe(2);
    expect(figures.events).toBe(Object.values(figures.eventTypes as Record<string, number>).reduce((a, b) => a + b, 0));
    expect(figures.pages).toBeGreaterThanOrEqual(2);
  });

  it("step 4: the device sign-in gives the user's own token; sign-out revokes it", () => {
    const { figures } = step(report, 'device-sign-in');
    expect(figures.user.login).toBe('admin@example.com');
    expect(figures.scopes).toContain('okta.users.read');
    expect(figures.revoked).toEqual(['refresh_token', 'access_token']);
    expect(figures.notRevoked).toEqual([]);
    expect(figures.afterSignOut).toBe(401);
  });
});

describe('pnpm demo, for a person reading a log (not a TTY, NO_COLOR)', () => {
  it('prints the sections, a table of users and the figures, with no spinner frames or colour codes', async () => {
    const run = await readable;
    expect(run.code).toBe(0);
    for (const title of ['1. API token (SSWS)', '2. Service app (private_key_jwt + DPoP)', '3. OIN integration in two customer orgs', "4. A user's device sign-in"]) {
      expect(run.stdout).toContain(title);
    }
    expect(run.stdout).toMatch(/Login\s+Name\s+Status\s+Id/);
    expect(run.stdout).toMatch(/token requests\s+1\n/);
    expect(run.stdout).toContain('authorization: SSWS [redacted');
    expect(run.stdout).toMatch(/Done: 6 steps ran, 0 skipped, 0 failed/);
    // Each step names the code that ran it: the file and function, then the package calls.
    expect(run.stdout).toContain('Code: apps/demo/src/tour/steps.ts, apiTokenStep(): createSswsCredential({ orgUrl, token }) (@org/okta-ssws) → createOktaFetch({ credential })');
    expect(run.stdout).toContain('Code: apps/demo/src/tour/steps.ts, deviceStep(): createSignInClient({ orgUrl, clientId, scopes }) (@org/okta-oauth) → signIn.startDeviceSignIn()');
    expect(run.stdout.match(/^ {2}Code: apps\/demo\/src\/tour\/steps\.ts, \w+\(\): /gm)).toHaveLength(4);
    for (const unwanted of ['\r', '\u001B[', '⠋', '⠙']) expect(run.stdout).not.toContain(unwanted);
    // Step 6 lists the events in published order: step 2's 429, recorded on the org's clock moved toward the
    // minute's end, came between earlier events (persistence order), its time later than the ones after it.
    const log = run.stdout.slice(run.stdout.indexOf('6. The System Log'));
    const times = [...log.matchAll(/^ {2}(\d\d:\d\d:\d\d) {4}\S/gm)].map((m) => m[1] ?? '');
    expect(times.length).toBeGreaterThanOrEqual(8);
    expect(times).toEqual([...times].sort());
    expect(log).toMatch(/system\.org\.rate_limit\.violation/);
  });

  // rev165a: with only OKTA_CLIENT_CLIENTSECRET set it said "No OKTA_CLIENT_* settings", not a word of the secret.
  it('with only OKTA_CLIENT_CLIENTSECRET set, says in one line that it is not used and why, never showing it', async () => {
    const run = await readable;
    expect(run.stderr).toBe(`! ${SECRET_UNUSED}\n`);
    expect(run.stdout).toContain('running on local emulated Okta orgs');
    expect(run.stdout + run.stderr).not.toContain(CLIENT_SECRET);
  });
});


describe('pnpm demo with OKTA_CLIENT_* settings: the read-only steps on that org', () => {
  let org: OktaEmulator;

  beforeAll(async () => {
    org = await startEmulator({ seed: { users: 30 } });
  });

  afterAll(async () => {
    await org.close();
  });

  it('runs steps 1, 2 and 6 with the API token and service app it is given, creates nothing, skips 3 to 5', async () => {
    const { token } = org.createApiToken();
    const app = org.createServiceApp({ keyType: 'RSA', requireDpop: true, scopes: ['okta.users.read'] });
    org.resetCounters();
    const run = await runCli(cli.file, ['--json'], {
      OKTA_CLIENT_ORGURL: org.url,
      OKTA_CLIENT_TOKEN: token,
      OKTA_CLIENT_CLIENTID: app.clientId,
      OKTA_CLIENT_SCOPES: 'okta.users.read',
      OKTA_CLIENT_PRIVATEKEY: app.privateKeyPem.replaceAll('\n', '\\n'),
      OKTA_CLIENT_KEYID: app.keyId,
    });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as TourReport;
    expect(report.mode).toBe('org');
    expect(report.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'skipped', 'skipped', 'skipped', 'ok']);
    expect(step(report, 'api-token').figures.users).toBe(31); // and the org's seeded super admin
    expect(step(report, 'service-app').figures.tokenRequests).toBe(1);
    // The System Log since the tour began: the service app's token grant, read by the API token.
    expect(step(report, 'system-log').figures.eventTypes).toMatchObject({ 'app.oauth2.token.grant.access_token': 1 });
    const methods = Object.keys(org.counters().requests).map((key) => key.split(' ')[0]);
    expect(new Set(methods)).toEqual(new Set(['GET', 'POST'])); // POST: the token endpoint only
    expect(Object.keys(org.counters().requests).filter((key) => key.startsWith('POST'))).toEqual(['POST /oauth2/v1/token']);
    expect(report.steps[0]?.code.file).toBe('apps/demo/src/tour/steps.ts, apiTokenStep()');
  });

  it('with an API token only, runs steps 1 and 6 and says the others were skipped', async () => {
    const { token } = org.createApiToken();
    const run = await runCli(cli.file, [], { NO_COLOR: '1', OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_TOKEN: token });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Done: 2 steps ran, 4 skipped, 0 failed/);
  });
});

describe('pnpm demo on an org whose answers hold control characters', () => {
  it("prints the org's users with their control characters flattened: a name cannot move the cursor, clear the screen or forge a line", async () => {
    const org = await startEmulator();
    const { token } = org.createApiToken();
    // Anyone whose profile the org shows chooses these: an end user may edit their own name.
    org.createUser({ login: 'eve@example.com', password: 'Passw0rd!', firstName: 'Eve\u001B]0;x\u0007\u001B[2J', lastName: '\r✓ Root\u009B31m\u202E' });
    // The System Log's events are the org's text too (step 6 counts them by type): recorded on the org's clock
    // a minute ahead, so after the tour's start however long the binary takes to start.
    org.setClockOffset(60);
    org.recordLogEvent({ eventType: 'evil.type\u001B[2J\r\u009B31m\u202E' });
    org.setClockOffset(0);
    const run = await runCli(cli.file, [], { NO_COLOR: '1', OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_TOKEN: token });
    // The --json report carries the event types too: JSON escapes, the same strings once parsed.
    const json = await runCli(cli.file, ['--json'], { OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_TOKEN: token });
    await org.close();
    expect(json.code).toBe(0);
    expect(json.stdout).not.toMatch(/[^\n\P{Cc}]|[\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/u);
    expect(step(JSON.parse(json.stdout) as TourReport, 'system-log').figures.eventTypes).toMatchObject({ 'evil.type\u001B[2J\r\u009B31m\u202E': 1 });
    expect(run.code).toBe(0);
    const row = run.stdout.split('\n').find((line) => line.includes('eve@example.com'));
    expect(row).toMatch(/^ {2}eve@example\.com +Eve \]0;x \[2J +✓ Root 3\S* +ACTIVE +00u/);
    expect(run.stdout.split('\n').filter((line) => line.includes('evil.type'))).toHaveLength(2); // its row and its count
    // Core's class of characters a terminal must not get (C0 and C1 controls, line separators, bidi overrides), line feeds aside.
    for (const line of run.stdout.split('\n')) expect(line).not.toMatch(new RegExp(unprintable.source));
  });
});

describe('pnpm demo on an org that refuses, or does not answer', () => {
  let org: OktaEmulator;

  beforeAll(async () => {
    org = await startEmulator({ seed: { users: 3 } });
  });

  afterAll(async () => {
    await org.close();
  });

  it('a wrong API token: step 1 fails with Okta\'s reason and names OKTA_CLIENT_TOKEN; exit 1', async () => {
    const token = '00wrongtokenwrongtokenwrongtokenwrongtoken1';
    const run = await runCli(cli.file, [], { OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_TOKEN: token, NO_COLOR: '1' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Failed: 401 E0000011/);
    expect(run.stdout).toContain('Check OKTA_CLIENT_TOKEN.');
    expect(run.stdout).not.toContain(token);
    const json = JSON.parse((await runCli(cli.file, ['--json'], { OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_TOKEN: token })).stdout) as TourReport;
    expect(json.ok).toBe(false);
    expect(step(json, 'api-token')).toMatchObject({ status: 'failed', variables: ['OKTA_CLIENT_TOKEN'] });
  });

  it('an org URL where nothing answers names OKTA_CLIENT_ORGURL', async () => {
    const run = await runCli(cli.file, ['--json'], { OKTA_CLIENT_ORGURL: 'http://127.0.0.1:9', OKTA_CLIENT_TOKEN: '00abcdefghijklmnopqrstuvwxyz0123456789ABCD' });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as TourReport;
    expect(step(report, 'api-token')).toMatchObject({ status: 'failed', variables: ['OKTA_CLIENT_ORGURL'] });
  });
});

describe('pnpm demo with settings it cannot use', () => {
  it.each([
    [{ OKTA_CLIENT_ORGURL: 'acme.okta.com', OKTA_CLIENT_TOKEN: '00abcdefghijklmnopqrstuvwxyz0123456789ABCD' }, 'OKTA_CLIENT_ORGURL', /needs a scheme/],
    [{ OKTA_CLIENT_ORGURL: 'https://acme-admin.okta.com', OKTA_CLIENT_TOKEN: '00abcdefghijklmnopqrstuvwxyz0123456789ABCD' }, 'OKTA_CLIENT_ORGURL', /Admin Console/],
    [{ OKTA_CLIENT_TOKEN: '00abcdefghijklmnopqrstuvwxyz0123456789ABCD' }, 'OKTA_CLIENT_ORGURL', /not set/],
    [{ OKTA_CLIENT_ORGURL: 'https://acme.okta.com' }, 'OKTA_CLIENT_TOKEN', /no credential/],
    [{ OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_TOKEN: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' }, 'OKTA_CLIENT_TOKEN', /JWT|@org\/okta-oauth/],
    [{ OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oa1b2c3d4e5f6g7h8i9', OKTA_CLIENT_SCOPES: 'okta.users.read' }, 'OKTA_CLIENT_PRIVATEKEY', /not set/],
  ])('%j: exit 2, the message names %s', async (env, variable, pattern) => {
    const human = await runCli(cli.file, [], env);
    expect(human.code).toBe(2);
    expect(human.stdout).toBe('');
    expect(human.stderr).toContain(variable);
    expect(human.stderr).toMatch(pattern);
    // A secret is never echoed.
    for (const [name, value] of Object.entries(env)) if (/TOKEN|PRIVATEKEY/.test(name)) expect(human.stderr).not.toContain(value);

    const json = await runCli(cli.file, ['--json'], env);
    expect(json.code).toBe(2);
    const body = JSON.parse(json.stdout) as { ok: boolean; error: { variable: string; message: string } };
    expect(body.ok).toBe(false);
    expect(body.error.variable).toBe(variable);
  });

  // A key id and a JWK's kid are quoted by okta-oauth's message: a JWK copied from elsewhere can carry escapes
  // (a keyId with them is refused unquoted: config.test.ts).
  it("a JWK whose own kid carries escapes: refused unquoted, named as the private key's, no escape reaches the terminal", async () => {
    const { createPrivateKey, generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { format: 'pem', type: 'pkcs8' }, publicKeyEncoding: { format: 'pem', type: 'spki' } });
    const jwk = { ...createPrivateKey(privateKey).export({ format: 'jwk' }), kid: 'k1\u001B[2J\u001B]0;pwned\u0007' };
    const env = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oa1b2c3d4e5f6g7h8i9', OKTA_CLIENT_SCOPES: 'okta.users.read', OKTA_CLIENT_PRIVATEKEY: JSON.stringify(jwk), OKTA_CLIENT_KEYID: 'k2' };
    for (const args of [[], ['--json']]) {
      const run = await runCli(cli.file, args, env);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/OKTA_CLIENT_PRIVATEKEY: The client JWK's kid is not a key id: give the kid of the app's public key in Okta/);
      for (const line of `${run.stderr}\n${run.stdout}`.split('\n')) expect(line).not.toMatch(new RegExp(unprintable.source));
      expect(run.stderr).not.toContain(String(jwk.d));
    }
  });

  // rev165a: an OIN app's variables were asked for a private key, the secret not named.
  it("an OIN app's variables (org, client id, client secret): the line on the secret, then OKTA_CLIENT_PRIVATEKEY to set; exit 2", async () => {
    const env = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oa1b2c3d4e5f6g7h8i9', OKTA_CLIENT_CLIENTSECRET: CLIENT_SECRET, OKTA_CLIENT_SCOPES: 'okta.users.read', NO_COLOR: '1' };
    const run = await runCli(cli.file, [], env);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').slice(0, 2)).toEqual([`! ${SECRET_UNUSED}`, expect.stringMatching(/^✖ OKTA_CLIENT_PRIVATEKEY is not set/)]);
    expect(run.stdout + run.stderr).not.toContain(CLIENT_SECRET);
  });

  it('an unknown option: exit 2 with the usage', async () => {
    const run = await runCli(cli.file, ['--jsn'], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pnpm demo [--json]');
  });
});
