import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isOktaEmulatorError, startEmulator, type EmulatorOptions, type OktaEmulatorError } from './index.js';

/** The error startEmulator rejects with; fails the test when it starts instead (and closes that org). */
async function refused(options: unknown): Promise<OktaEmulatorError> {
  let org;
  try {
    org = await startEmulator(options as EmulatorOptions);
  } catch (error) {
    if (!isOktaEmulatorError(error)) throw new Error(`not an OktaEmulatorError: ${String(error)}`, { cause: error });
    return error;
  }
  await org.close();
  throw new Error(`startEmulator(${JSON.stringify(options)}) started, at ${org.url}`);
}

describe('startEmulator refuses option values it cannot use, saying which and what to give', () => {
  it.each([
    // A string port (process.env.PORT as it comes) listened on a Unix socket of that name, with url "http://undefined:undefined".
    [{ port: 'abc' }, 'port', /whole number from 0 to 65535.*Number\(process\.env\.PORT\)/],
    [{ port: '4000' }, 'port', /whole number from 0 to 65535/],
    [{ port: -1 }, 'port', /whole number from 0 to 65535/],
    [{ port: 70_000 }, 'port', /whole number from 0 to 65535/],
    [{ port: 1.5 }, 'port', /whole number/],
    [{ port: Number.NaN }, 'port', /whole number/],
    [{ host: 123 }, 'host', /an address to listen on, such as "127\.0\.0\.1"/],
    [{ host: '' }, 'host', /an address to listen on/],
    // A token that expires as it is issued, or never, or "60" (a string): every client then fails in a way that says nothing of this option.
    [{ tokenLifetimeSeconds: -1 }, 'tokenLifetimeSeconds', /positive number of seconds/],
    [{ tokenLifetimeSeconds: 0 }, 'tokenLifetimeSeconds', /positive number of seconds/],
    [{ tokenLifetimeSeconds: Number.NaN }, 'tokenLifetimeSeconds', /positive number of seconds/],
    [{ tokenLifetimeSeconds: Number.POSITIVE_INFINITY }, 'tokenLifetimeSeconds', /positive number of seconds/],
    [{ tokenLifetimeSeconds: '60' }, 'tokenLifetimeSeconds', /positive number of seconds/],
    [{ dpopNonceLifetimeSeconds: 0 }, 'dpopNonceLifetimeSeconds', /positive number of seconds/],
    // RFC 8628's interval is whole seconds (Okta's is 5); 0 would never answer slow_down; a string is an environment variable as it comes.
    [{ deviceIntervalSeconds: 0 }, 'deviceIntervalSeconds', /whole number of seconds from 1 to 600/],
    [{ deviceIntervalSeconds: 0.5 }, 'deviceIntervalSeconds', /whole number of seconds from 1 to 600/],
    [{ deviceIntervalSeconds: 601 }, 'deviceIntervalSeconds', /whole number of seconds from 1 to 600/],
    [{ deviceIntervalSeconds: '5' }, 'deviceIntervalSeconds', /whole number of seconds from 1 to 600, such as 5 \(Okta's\), or unset, not "5"\.$/],
    [{ refreshTokenRotation: 'rotating' }, 'refreshTokenRotation', /"rotate" or "static"/],
    [{ rateLimits: 'none' }, 'rateLimits', /an object of per-minute limits/],
    [{ rateLimits: { '/api/v1/users': -5 } }, 'rateLimits["/api/v1/users"]', /whole number of requests a minute/],
    [{ rateLimits: { '*': Number.NaN } }, 'rateLimits["*"]', /whole number of requests a minute/],
    [{ rateLimits: { '/api/v1/users': '100' } }, 'rateLimits["/api/v1/users"]', /whole number of requests a minute/],
    // A bucket that is none (a user's path) and a misspelt field were taken and never used.
    [{ rateLimits: { '/api/v1/users/me': 1 } }, 'rateLimits["/api/v1/users/me"]', /counts against '\/api\/v1\/users\/\{idOrLogin\}' \(GET\) or '\/api\/v1\/users\/\{id\}' \(POST, PUT, DELETE\): give the one you mean\.$/],
    // A bucket is the caller's text: quoted as every value the emulator quotes, cut at 100 characters (a 5,000-character key is not echoed whole).
    // (Dotted: a run of 32 letters is shaped like a token, never quoted.)
    [{ rateLimits: { [`/api/v1/users/${'x.'.repeat(2500)}`]: 1 } }, `rateLimits["/api/v1/users/${'x.'.repeat(43)}…"]`, /counts against '\/api\/v1\/users\/\{idOrLogin\}' \(GET\)/],
    [{ seed: { user: 5 } }, 'seed.user', /is not an option of startEmulator's seed: use users\.$/],
    [{ seed: { users: -1 } }, 'seed.users', /whole number from 0 to 100000/],
    [{ seed: { users: 1.5 } }, 'seed.users', /whole number from 0 to 100000/],
    [{ seed: { users: '3' } }, 'seed.users', /whole number from 0 to 100000/],
    // Seeding was quadratic: 100,000 users kept startEmulator busy for minutes; more is a typo.
    [{ seed: { users: 100_001 } }, 'seed.users', /whole number from 0 to 100000/],
    [{ seed: 5 }, 'seed', /an object such as \{ users: 5 \}/],
    // 'false' (a string, as an environment variable comes) must not turn RFC 9207 on.
    [{ authorizationResponseIss: 'false' }, 'authorizationResponseIss', /true or false, or unset/],
    [{ authorizationResponseIss: 1 }, 'authorizationResponseIss', /true or false, or unset/],
    // A denial is answered 400 (RFC 8628) or 403 (Okta's catalogue): any other status is no answer a client reads as one.
    [{ deviceDeniedStatus: 401 }, 'deviceDeniedStatus', /400 \(RFC 8628, the default\) or 403 \(Okta's catalogue\), or unset, not 401\.$/],
    [{ deviceDeniedStatus: '403' }, 'deviceDeniedStatus', /400 \(RFC 8628, the default\) or 403/],
    // An origin is what a browser sends as Origin: a trailing slash or a path never matches one.
    [{ trustedOrigins: 'http://127.0.0.1:5173' }, 'trustedOrigins', /an array of at most 1000 origins/],
    [{ trustedOrigins: ['http://127.0.0.1:5173/'] }, 'trustedOrigins[0]', /an origin as a browser sends it.*not "http:\/\/127\.0\.0\.1:5173\/"/],
    [{ trustedOrigins: ['http://a.example', 'a.example'] }, 'trustedOrigins[1]', /an origin as a browser sends it/],
    [{ trustedOrigins: [5173] }, 'trustedOrigins[0]', /an origin as a browser sends it.*not 5173\.$/],
    // What no browser sends as Origin, so a listed one would never match: the opaque origin, a scheme or host in capitals, a default port.
    [{ trustedOrigins: ['null'] }, 'trustedOrigins[0]', /an origin as a browser sends it/],
    [{ trustedOrigins: ['file:///tmp/x.html'] }, 'trustedOrigins[0]', /an origin as a browser sends it/],
    [{ trustedOrigins: ['HTTP://App.Example'] }, 'trustedOrigins[0]', /an origin as a browser sends it/],
    [{ trustedOrigins: ['https://app.example:443'] }, 'trustedOrigins[0]', /an origin as a browser sends it/],
    [42, 'options', /must be an object such as \{ seed: \{ users: 5 \} \}, not 42\.$/],
    [[], 'options', /must be an object such as \{ seed: \{ users: 5 \} \}, not an array\.$/],
    ['4000', 'options', /must be an object such as \{ seed: \{ users: 5 \} \}, not "4000"\.$/],
    [{ prot: 4000 }, 'prot', /not an option of startEmulator.*port, host/],
  ])('%j: INVALID_OPTION naming %s', async (options, option, message) => {
    const error = await refused(options);
    expect(error).toMatchObject({ name: 'OktaEmulatorError', code: 'INVALID_OPTION', option });
    expect(error.message).toMatch(new RegExp(`^startEmulator: ${option.replace(/[[\]*"/.]/g, '\\$&')} `));
    expect(error.message).toMatch(message);
  });

  it('still takes every option it documents, and seeds the users asked for', async () => {
    const org = await startEmulator({ port: 0, host: '127.0.0.1', tokenLifetimeSeconds: 90, dpopNonceLifetimeSeconds: 10, deviceIntervalSeconds: 1, deviceDeniedStatus: 403, refreshTokenRotation: 'static', rateLimits: { '*': 1e9, '/api/v1/users': 0 }, seed: { users: 0 }, authorizationResponseIss: false, trustedOrigins: ['http://127.0.0.1:5173'] });
    await org.close();
    const seeded = await startEmulator({ seed: { users: 3 }, port: undefined, host: undefined });
    const { token } = seeded.createApiToken();
    const users = (await (await fetch(`${seeded.url}/api/v1/users`, { headers: { Authorization: `SSWS ${token}` } })).json()) as unknown[];
    await seeded.close();
    expect(users).toHaveLength(4); // and the seeded super admin
  });

  it('takes null as no options, as the handle\'s methods do (one check of an options object: optionsOf)', async () => {
    const org = await startEmulator(null as unknown as EmulatorOptions);
    try {
      expect(new URL(org.url).hostname).toBe('127.0.0.1');
      expect((await fetch(`${org.url}/.well-known/openid-configuration`)).status).toBe(200);
      expect(() => org.createApiToken(null as never)).not.toThrow();
    } finally {
      await org.close();
    }
  });

  it('seedUsers(n) follows the same rule', async () => {
    const org = await startEmulator();
    try {
      for (const n of [-1, 2.5, Number.NaN, 100_001]) expect(() => { org.seedUsers(n); }).toThrow(/seedUsers: n must be a whole number from 0 to 100000/);
      const error = (() => {
        try {
          org.seedUsers(-1);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toMatchObject({ name: 'OktaEmulatorError', code: 'INVALID_OPTION', option: 'n' });
    } finally {
      await org.close();
    }
  });
});

describe('where startEmulator listens', () => {
  it('on 127.0.0.1 by default: not on the machine\'s other addresses', async () => {
    const org = await startEmulator();
    try {
      const { hostname, port } = new URL(org.url);
      expect(hostname).toBe('127.0.0.1');
      const others = Object.values(networkInterfaces()).flat().filter((a) => a !== undefined && !a.internal && a.family === 'IPv4').map((a) => a!.address);
      for (const address of others) expect([address, await reachable(address, Number(port))]).toEqual([address, false]);
      expect(await reachable('127.0.0.1', Number(port))).toBe(true);
    } finally {
      await org.close();
    }
  });
});

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}
