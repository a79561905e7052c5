import { SEED_ADMIN_LOGIN, startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { json, startScriptedServer, type ScriptedServer } from '@org/okta-test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, requireBuiltCli, runCli, sandbox, type Sandbox } from '../test-helpers/cli.js';
import { ExitCode } from '../exit-codes.js';

let org: OktaEmulator;
let box: Sandbox;
/** An org that echoes the request's Authorization in its answer's headers. */
let echoing: ScriptedServer;
let token: { id: string; token: string };
const scopes = ['okta.users.read', 'okta.users.manage', 'okta.groups.read'];

beforeAll(async () => {
  requireBuiltCli();
  org = await startEmulator({ seed: { users: 45 } });
  token = org.createApiToken();
  const dpopApp = org.createServiceApp({ scopes, requireDpop: true });
  const bearerApp = org.createServiceApp({ scopes, requireDpop: false, keyType: 'EC' });
  const oin = org.createOinApp({ scopes: ['okta.users.read'] });
  const service = (app: typeof dpopApp, extra: Record<string, unknown> = {}) => ({ orgUrl: org.url, clientId: app.clientId, keyId: app.keyId, privateKey: app.privateKeyPem, scopes, ...extra });
  echoing = await startScriptedServer((req, res) => {
    const echo = String(req.headers.authorization);
    const sent = echo.replace('SSWS ', '');
    // /api/v1/pages links its next page through a path and a query made of what the request carried.
    const next = req.path === '/api/v1/pages' ? { link: `<${echoing.origin}/api/v1/pages/${sent}?after=${sent}>; rel="next"` } : {};
    json(res, 200, [], { 'set-cookie': 'sid=102sentinelSessionIdValue9xyz; Path=/', 'x-okta-request-id': echo, 'x-echo': `you sent ${sent}`, 'x-forged': 'a\u009b2Kb', ...next });
  });
  box = sandbox();
  box.writeYaml('cwd', {
    client: { orgUrl: org.url, token: token.token },
    profiles: {
      dpop: service(dpopApp),
      'dpop-off': service(dpopApp, { dpop: 'off' }),
      bearer: service(bearerApp),
      oin: { orgUrl: org.url, authorizationMode: 'ClientSecret', clientId: oin.clientId, clientSecret: oin.clientSecret, scopes: 'okta.users.read' },
      closed: { orgUrl: `http://127.0.0.1:${await closedPort()}`, token: token.token },
      echoing: { orgUrl: echoing.url, token: token.token },
    },
  });
});

afterAll(async () => {
  await org.close();
  await echoing.close();
  box.remove();
});

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: box.cwd, env: { ...box.env, ...env } });

describe('okta-auth api, every auth method', () => {
  it.each([
    ['an API token (SSWS)', []],
    ['a service app that requires DPoP', ['--profile', 'dpop']],
    ['a service app without DPoP (EC key)', ['--profile', 'bearer']],
    ['an OIN app (client secret)', ['--profile', 'oin']],
  ])('%s: JSON to stdout, nothing on stderr, exit 0', async (_name, profile) => {
    const result = await cli([...profile, 'api', 'GET', '/api/v1/users?limit=3']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const users = JSON.parse(result.stdout) as { profile: { login: string } }[];
    expect(users.map((u) => u.profile.login)).toEqual([SEED_ADMIN_LOGIN, 'user0001@example.com', 'user0002@example.com']); // the org's first user is its super admin
  });

  it('the DPoP app got DPoP-bound tokens and proofs; with dpop: off it is refused (exit 4)', async () => {
    org.resetCounters();
    expect((await cli(['--profile', 'dpop', 'api', 'GET', '/api/v1/groups'])).code).toBe(0);
    expect(org.counters().tokenRequests).toEqual({ client_credentials: { success: 1, use_dpop_nonce: 1 } });
    const off = await cli(['--profile', 'dpop-off', 'api', 'GET', '/api/v1/groups']);
    expect(off.code).toBe(4);
    expect(off.stderr).toMatch(/invalid_dpop_proof/);
    expect(off.stdout).toBe('');
  });

  it('POST with --data (inline, @file and @- from stdin) sends the JSON body', async () => {
    const body = (login: string) => JSON.stringify({ profile: { login, email: login, firstName: 'Cli', lastName: 'Test' } });
    const inline = await cli(['api', 'POST', '/api/v1/users', '--data', body('inline@example.com')]);
    expect(inline.code).toBe(0);
    expect(JSON.parse(inline.stdout)).toMatchObject({ profile: { login: 'inline@example.com' } });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${box.cwd}/user.json`, body('file@example.com'));
    expect(JSON.parse((await cli(['api', 'POST', '/api/v1/users', '--data', '@user.json'])).stdout)).toMatchObject({ profile: { login: 'file@example.com' } });
    const stdin = await runCli(['api', 'POST', '/api/v1/users', '--data', '@-'], { cwd: box.cwd, env: box.env, input: body('stdin@example.com') });
    expect(JSON.parse(stdin.stdout)).toMatchObject({ profile: { login: 'stdin@example.com' } });
  });
});

describe('okta-auth api --paginate', () => {
  it('follows Link across pages into one JSON array, and prints no progress when stdout is not a terminal', async () => {
    org.resetCounters();
    const result = await cli(['api', 'GET', '/api/v1/users?limit=10', '--paginate']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const users = JSON.parse(result.stdout) as { profile: { login: string } }[];
    // The seeded super admin, 45 seeded users + 3 created above, 10 a page.
    expect(users.length).toBe(49);
    expect(org.counters().requests['GET /api/v1/users']).toBe(5);
    expect(new Set(users.map((u) => u.profile.login)).size).toBe(users.length);
  });

  it('--ndjson: one user per line, across pages, with a service app (a new DPoP proof per page)', async () => {
    org.resetCounters();
    const result = await cli(['--profile', 'dpop', 'api', 'GET', '/api/v1/users?limit=20', '--paginate', '--ndjson']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(49);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('id');
    expect(org.counters().requests['GET /api/v1/users']).toBe(3);
  });

  it("a next link to another origin is the org's answer (exit 1), not the command line's (exit 2): nothing is sent there", async () => {
    const other = await startScriptedServer((_req, res) => json(res, 200, []));
    const port = new URL(other.url).port;
    // The host name is the org's choice, so it is never quoted; one that echoes the API token (lower-cased: a changed
    // form core's scrubber finds since the twentyfifth session) is refused as an echoed credential first.
    const cases: [string, string][] = [
      [`http://elsewhere.localhost:${port}`, "okta-auth: GET /api/v1/groups: the org's next link points at another origin; stopped after 1 page"],
      [`http://t${token.token.toLowerCase()}.localhost:${port}`, 'okta-auth: Page 1 of /api/v1/groups links its next page to a URL that carries a secret the request sent (an echoed credential)'],
    ];
    try {
      for (const [elsewhere, message] of cases) {
        org.injectFault({ path: '/api/v1/groups', kind: 'headers', headers: { link: `<${elsewhere}/api/v1/groups?after=x>; rel="next"` }, count: 1 });
        const result = await cli(['api', 'GET', '/api/v1/groups', '--paginate', '--ndjson']);
        expect(result.stderr).toContain(message);
        expect(result.stderr.toLowerCase()).not.toContain(token.token.toLowerCase().slice(2, 20));
        expect(result.code).toBe(1);
        org.clearFaults();
      }
      expect(other.requests.length).toBe(0);
    } finally {
      org.clearFaults();
      await other.close();
    }
  });
});

describe('exit codes and messages', () => {
  it('2 usage: unknown command, bad method, missing path, bad JSON, unknown option', async () => {
    for (const args of [['frobnicate'], ['api', 'FETCH', '/x'], ['api', 'GET'], ['api', 'POST', '/api/v1/users', '--data', '{nope'], ['api', 'GET', '/x', '--bogus'], ['doctor', '--paginate'], ['api', 'GET', 'https://elsewhere.example.com/api/v1/users'], []]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^okta-auth: /);
      expect(result.stdout).toBe('');
    }
    const bad = await cli(['api', 'POST', '/api/v1/users', '--data', '{"credentials":{"password":{"value":"hunter2-secret"}']);
    expect(bad.stderr).toBe('okta-auth: --data is not valid JSON (at character 53).\n');
  });

  it('3 configuration: nothing configured, an unknown profile, a bad org URL', async () => {
    const empty = sandbox();
    try {
      const none = await runCli(['api', 'GET', '/api/v1/users'], { cwd: empty.cwd, env: empty.env });
      expect(none.code).toBe(3);
      expect(none.stderr).toMatch(/No org URL configured: set OKTA_CLIENT_ORGURL/);
      const admin = await runCli(['api', 'GET', '/api/v1/users'], { cwd: empty.cwd, env: { ...empty.env, OKTA_CLIENT_ORGURL: 'https://acme-admin.okta.com', OKTA_CLIENT_TOKEN: token.token } });
      expect(admin.code).toBe(3);
      expect(admin.stderr).toMatch(/Admin Console domain.*use "https:\/\/acme\.okta\.com"/);
    } finally {
      empty.remove();
    }
    const unknown = await cli(['--profile', 'nope', 'api', 'GET', '/api/v1/users']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/known profiles: bearer, closed, dpop, dpop-off, echoing, oin/);
  });

  it('7 not found: a 404 with Okta’s error code and request id', async () => {
    const result = await cli(['api', 'GET', '/api/v1/users/nobody@example.com']);
    expect(result.code).toBe(7);
    expect(result.stderr).toMatch(/^okta-auth: 404 E0000007 .*request id \w+/);
  });

  it('9 Okta failed: a 5xx from the token endpoint is Okta failing, not the client refused (4 would send a script to sign in again)', async () => {
    for (const status of [500, 503]) {
      org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status, count: 1 });
      try {
        const result = await cli(['--profile', 'bearer', 'api', 'GET', '/api/v1/users?limit=1']);
        expect(result.stderr).toMatch(new RegExp(`^okta-auth: Okta's token endpoint could not answer the token request \\(${status} server_error\\): .* It was sent once, not again: try again later\\. \\([\\w.:-]+, request \\w+\\)`));
        expect(result.code).toBe(9);
      } finally {
        org.clearFaults();
      }
    }
  });

  it('4 auth: a missing scope names the scope; a revoked API token says what to do, without the token', async () => {
    const scope = await cli(['--profile', 'oin', 'api', 'POST', '/api/v1/users', '--data', '{}']);
    expect(scope.code).toBe(4);
    expect(scope.stderr).toMatch(/missing scope okta\.users\.manage/);
    // Okta's cause is quoted once, by core's message: one line, not again as a "cause:" line under it.
    expect(scope.stderr.split('The access token provided does not contain the required scopes.')).toHaveLength(2);
    expect(scope.stderr).toMatch(/^okta-auth: 403 E0000006 [^\n]*\n$/);
    const revoked = org.createApiToken();
    // A token from the environment goes with an org URL from the environment (./okta.yaml's is the folder's).
    const result = await cli(['api', 'GET', '/api/v1/users'], { OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_TOKEN: revoked.token });
    expect(result.code).toBe(0);
    org.revokeApiToken(revoked.id);
    const after = await cli(['api', 'GET', '/api/v1/users'], { OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_TOKEN: revoked.token });
    expect(after.code).toBe(4);
    expect(after.stderr).toMatch(/401 E0000011.*revoked, expired after 30 days unused, or its admin is inactive/);
    expect(after.stderr).not.toContain(revoked.token);
  });

  it('5 network: nothing listens at the org URL', async () => {
    const result = await cli(['--profile', 'closed', 'api', 'GET', '/api/v1/users']);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/^okta-auth: /);
  });
});

describe('configuration sources', () => {
  it('OKTA_CLIENT_* beats ./okta.yaml, which beats ~/.okta/okta.yaml; a named profile ignores OKTA_CLIENT_*', async () => {
    const s = sandbox();
    try {
      const other = await startEmulator();
      try {
        const homeToken = org.createApiToken();
        s.writeYaml('home', { client: { orgUrl: org.url, token: homeToken.token } });
        const seen = async (env: Record<string, string> = {}, args: string[] = []) => {
          org.resetCounters();
          other.resetCounters();
          const result = await runCli([...args, 'api', 'GET', '/api/v1/groups'], { cwd: s.cwd, env: { ...s.env, ...env } });
          expect(result.code, result.stderr).toBe(0);
          return (org.counters().requests['GET /api/v1/groups'] ?? 0) > 0 ? 'org' : 'other';
        };
        expect(await seen()).toBe('org');
        s.writeYaml('cwd', { client: { orgUrl: other.url, token: other.createApiToken().token }, profiles: { first: { orgUrl: org.url, token: homeToken.token } } });
        expect(await seen()).toBe('other');
        expect(await seen({ OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_TOKEN: homeToken.token })).toBe('org');
        expect(await seen({ OKTA_CLIENT_ORGURL: other.url }, ['--profile', 'first'])).toBe('org');
        expect(await seen({ OKTA_AUTH_PROFILE: 'first' })).toBe('org');
      } finally {
        await other.close();
      }
    } finally {
      s.remove();
    }
  });

  it('--verbose shows requests and responses on stderr with credentials redacted', async () => {
    const ssws = await cli(['--verbose', 'api', 'GET', '/api/v1/groups']);
    expect(ssws.code).toBe(0);
    expect(ssws.stderr).toMatch(/> GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/groups\n(> .*\n)*?> authorization: SSWS \[redacted, \d+ chars\]/);
    expect(ssws.stderr).toMatch(/< 200 GET .*\n(< .*\n)*< x-rate-limit-remaining: \d+/);
    expect(ssws.stderr).not.toContain(token.token);
    const dpop = await cli(['-v', '--profile', 'dpop', 'api', 'GET', '/api/v1/groups']);
    expect(dpop.stderr).toMatch(/> authorization: DPoP \[redacted, \d+ chars\]\n(> .*\n)*?> dpop: \[redacted, \d+ chars\]/);
    expect(dpop.stderr).not.toMatch(/eyJ[\w-]{10,}/);
    expect(JSON.parse(dpop.stdout)).toEqual(expect.any(Array));
  });

  it('--verbose shows no character of a credential: the scheme and its length (Basic: the last four would be the client secret\'s)', async () => {
    const mask = (scheme: string) => new RegExp(`${scheme}\\[redacted, \\d+ chars\\]\\n`);
    const oin = await cli(['--verbose', '--profile', 'oin', 'api', 'GET', '/api/v1/users']);
    expect(oin.code, oin.stderr).toBe(0);
    expect(oin.stderr).toMatch(mask('> authorization: Basic '));
    const dpop = await cli(['-v', '--profile', 'dpop', 'api', 'GET', '/api/v1/groups']);
    expect(dpop.stderr).toMatch(mask('> authorization: DPoP '));
    expect(dpop.stderr).toMatch(mask('> dpop: '));
    const echoed = await cli(['--verbose', '--profile', 'echoing', 'api', 'GET', '/api/v1/users']);
    expect(echoed.stderr).toMatch(mask('> authorization: SSWS '));
    expect(echoed.stderr).toMatch(mask('< set-cookie: '));
    // What the answer echoed goes whole too: `[redacted …abcd]` showed the token's (or secret's) last four.
    expect(echoed.stderr).toMatch(/< x-echo: you sent \[redacted\]\n/);
    for (const result of [oin, dpop, echoed]) expect(result.stderr).not.toContain('…');
    expect(echoed.stderr).not.toContain('9xyz');
  });

  it('--verbose scrubs what the request carried from the answer\'s headers (an org echoing the API token)', async () => {
    const result = await cli(['--verbose', '--profile', 'echoing', 'api', 'GET', '/api/v1/users']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/< x-echo: you sent \[redacted\]/);
    expect(result.stderr).toMatch(/< x-okta-request-id: \[redacted\]/);
    expect(result.stderr).not.toContain(token.token);
    // Node.js passes header bytes 0x80-0xFF as Latin-1: an 8-bit CSI reaches the terminal unless flattened.
    expect(result.stderr).toContain('< x-forged: a 2Kb');
    expect(result.stderr).not.toMatch(/[\u0080-\u009f]/);
  });

  it("--paginate refuses a next link the org built from the API token, before following it; --verbose shows it scrubbed", async () => {
    const result = await cli(['--verbose', '--profile', 'echoing', 'api', 'GET', '/api/v1/pages', '--paginate']);
    expect(result.code, result.stderr).toBe(ExitCode.API_ERROR);
    expect(result.stderr).toMatch(/< link: <http:\/\/127\.0\.0\.1:\d+\/api\/v1\/pages\/\[redacted\]\?after=\[redacted\]>; rel="next"\n/);
    expect(result.stderr).toContain("okta-auth: Page 1 of /api/v1/pages links its next page to another path than its own (Okta's next links keep the list's path); Okta sends no such link, and the walk stops.");
    expect(result.stderr).not.toMatch(/> GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/pages\//);
    expect(result.stderr).not.toContain(token.token);
  });
});
