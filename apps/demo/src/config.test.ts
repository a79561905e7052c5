import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { DemoConfigError, ignoredSettings, readTourConfig } from './config.js';
import { readWebConfig } from './web/config.js';

const TOKEN = '00abcdefghijklmnopqrstuvwxyz0123456789ABCD';
/** An access token (a JWT), pasted where a client id goes. */
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMHUxIn0.SignaturePartOfAnAccessTokenXYZ';

const configError = (read: () => unknown) => failure.sync(read, (e): e is DemoConfigError => e instanceof DemoConfigError);

describe('readTourConfig', () => {
  it('runs on the emulator when no OKTA_CLIENT_* variable is set (empty ones count as unset)', () => {
    expect(readTourConfig({})).toEqual({ mode: 'emulator' });
    expect(readTourConfig({ OKTA_CLIENT_ORGURL: ' ', HOME: '/root' })).toEqual({ mode: 'emulator' });
  });

  it('an API token and org: the read-only steps on that org', () => {
    const config = readTourConfig({ OKTA_CLIENT_ORGURL: 'https://acme.okta.com/', OKTA_CLIENT_TOKEN: TOKEN });
    expect(config).toMatchObject({ mode: 'org', orgUrl: 'https://acme.okta.com' });
    expect(config.mode === 'org' && config.ssws?.kind).toBe('ssws');
    expect(config.mode === 'org' && config.serviceApp).toBeUndefined();
  });

  it.each([
    ['acme.okta.com', /needs a scheme: use "https:\/\/acme\.okta\.com"/],
    ['http://acme.okta.com', /must use https/],
    ['https://acme-admin.okta.com', /Admin Console/],
    ['https://{yourOktaDomain}', /placeholder/],
    ['https://acme.okta.com/oauth2/default', /no path/],
  ])('a bad OKTA_CLIENT_ORGURL (%s) names the variable', (orgUrl, pattern) => {
    const error = configError(() => readTourConfig({ OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: TOKEN }));
    expect(error.variable).toBe('OKTA_CLIENT_ORGURL');
    expect(error.message).toMatch(/^OKTA_CLIENT_ORGURL: /);
    expect(error.message).toMatch(pattern);
  });

  it('names the missing variable, and never echoes a secret', () => {
    expect(configError(() => readTourConfig({ OKTA_CLIENT_TOKEN: TOKEN })).variable).toBe('OKTA_CLIENT_ORGURL');
    expect(configError(() => readTourConfig({ OKTA_CLIENT_ORGURL: 'https://acme.okta.com' })).variable).toBe('OKTA_CLIENT_TOKEN');
    const jwt = configError(() => readTourConfig({ OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_TOKEN: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' }));
    expect(jwt.variable).toBe('OKTA_CLIENT_TOKEN');
    expect(jwt.message).not.toContain('eyJhbGciOiJSUzI1NiJ9');
    const service = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oa1b2c3d4e5f6g7h8i9', OKTA_CLIENT_SCOPES: 'okta.users.read' };
    expect(configError(() => readTourConfig(service)).variable).toBe('OKTA_CLIENT_PRIVATEKEY');
    const badKey = configError(() => readTourConfig({ ...service, OKTA_CLIENT_PRIVATEKEY: '-----BEGIN PRIVATE KEY-----\\nnot a key\\n-----END PRIVATE KEY-----' }));
    expect(badKey.variable).toBe('OKTA_CLIENT_PRIVATEKEY');
    expect(badKey.message).not.toContain('not a key');
  });

  it('a key file path, missing, a folder or any file, is refused as a path: the demo takes the key itself', () => {
    const service = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oa1b2c3d4e5f6g7h8i9', OKTA_CLIENT_SCOPES: 'okta.users.read' };
    for (const path of ['/nonexistent/okta.pem', '/tmp', '~/keys/okta-private.pem', './key.json', 'okta.key', 'C:\\keys\\okta.pem']) {
      const error = configError(() => readTourConfig({ ...service, OKTA_CLIENT_PRIVATEKEY: path }));
      expect([path, error.variable]).toEqual([path, 'OKTA_CLIENT_PRIVATEKEY']);
      expect(error.message).toMatch(/looks like a file path: the demo takes the key itself .*"\$\(cat key\.pem\)"/);
      expect(error.message).not.toContain(path);
    }
    // A PEM body without its header lines is not a path, and is not echoed either.
    const body = configError(() => readTourConfig({ ...service, OKTA_CLIENT_PRIVATEKEY: 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg/abc+def' }));
    expect(body.message).toMatch(/neither a PEM block nor a JWK/);
    expect(body.message).not.toContain('MIGHAgEA');
  });

  it('a JWK whose crv does not match its key is refused before anything is sent, naming both curves, never its key', async () => {
    const { createPrivateKey, generateKeyPairSync } = await import('node:crypto');
    const service = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oa1b2c3d4e5f6g7h8i9', OKTA_CLIENT_SCOPES: 'okta.users.read' };
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { format: 'pem', type: 'pkcs8' }, publicKeyEncoding: { format: 'pem', type: 'spki' } });
    const jwk = createPrivateKey(privateKey).export({ format: 'jwk' });
    const wrong = configError(() => readTourConfig({ ...service, OKTA_CLIENT_PRIVATEKEY: JSON.stringify({ ...jwk, crv: 'P-384' }) }));
    expect(wrong.variable).toBe('OKTA_CLIENT_PRIVATEKEY');
    expect(wrong.message).toMatch(/JWK's "crv" is P-384 but its key is a P-256 key \(coordinates of 32 bytes, not 48\): set "crv" to "P-256"/);
    for (const part of [jwk.d, jwk.x, jwk.y]) expect(wrong.message).not.toContain(String(part));
    // Coordinates that fit no curve Okta accepts (okta-oauth's check: the demo relies on it).
    const cut = configError(() => readTourConfig({ ...service, OKTA_CLIENT_PRIVATEKEY: JSON.stringify({ ...jwk, x: String(jwk.x).slice(0, 20) }) }));
    expect(cut.message).toMatch(/JWK.s "x" has 15 bytes, which fits no curve Okta accepts \(P-256: 32, P-384: 48, P-521: 66\)/);
    expect(cut.variable).toBe('OKTA_CLIENT_PRIVATEKEY');
    for (const part of [jwk.d, jwk.y, String(jwk.x).slice(0, 20)]) expect(cut.message).not.toContain(String(part));
    // The right curve is taken.
    expect(readTourConfig({ ...service, OKTA_CLIENT_PRIVATEKEY: JSON.stringify(jwk) }).mode).toBe('org');
  });

  it('a PEM or a secret in OKTA_CLIENT_KEYID is refused naming OKTA_CLIENT_KEYID, never shown', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { format: 'pem', type: 'pkcs8' }, publicKeyEncoding: { format: 'pem', type: 'spki' } });
    const service = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oa1b2c3d4e5f6g7h8i9', OKTA_CLIENT_SCOPES: 'okta.users.read', OKTA_CLIENT_PRIVATEKEY: privateKey };
    for (const keyId of [`SSWS ${TOKEN}`, '-----BEGIN PRIVATE KEY-----\\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\\n-----END PRIVATE KEY-----']) {
      const error = configError(() => readTourConfig({ ...service, OKTA_CLIENT_KEYID: keyId }));
      expect(error.variable).toBe('OKTA_CLIENT_KEYID');
      expect(error.message).toMatch(/^OKTA_CLIENT_KEYID: keyId is not a key id/);
      expect(error.message).not.toContain(TOKEN.slice(2, 20));
      expect(error.message).not.toContain('MIGHAgEA');
    }
  });

  it('OKTA_CLIENT_AUTHORIZATIONMODE picks one credential, and must be SSWS or PrivateKey', () => {
    const env = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_TOKEN: TOKEN, OKTA_CLIENT_CLIENTID: '0oa1b2c3d4e5f6g7h8i9' };
    const ssws = readTourConfig({ ...env, OKTA_CLIENT_AUTHORIZATIONMODE: 'SSWS' });
    expect(ssws.mode === 'org' && ssws.serviceApp).toBeUndefined();
    expect(configError(() => readTourConfig({ ...env, OKTA_CLIENT_AUTHORIZATIONMODE: 'Bearer' })).variable).toBe('OKTA_CLIENT_AUTHORIZATIONMODE');
  });

  it('a client id that is a URL, and openid among the service app scopes, stop the tour naming their variable', () => {
    const service = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oa1b2c3d4e5f6g7h8i9', OKTA_CLIENT_SCOPES: 'okta.users.read', OKTA_CLIENT_PRIVATEKEY: '-----BEGIN PRIVATE KEY-----' /* read after these */ };
    const url = configError(() => readTourConfig({ ...service, OKTA_CLIENT_CLIENTID: 'https://acme-admin.okta.com/admin/app/oidc_client/instance/0oa1b2c3d4e5f6g7h8i9/' }));
    expect([url.variable, url.message]).toEqual(['OKTA_CLIENT_CLIENTID', expect.stringMatching(/^OKTA_CLIENT_CLIENTID: clientId is a URL, not a client id/)]);
    const oidc = configError(() => readTourConfig({ ...service, OKTA_CLIENT_SCOPES: 'openid okta.users.read' }));
    expect([oidc.variable, oidc.message]).toEqual(['OKTA_CLIENT_SCOPES', expect.stringMatching(/^OKTA_CLIENT_SCOPES: scopes has openid: OpenID Connect scopes are a signed-in user's/)]);
  });

  // The demo read the mode itself: a quoted one was "must be SSWS or PrivateKey", which it is, but for its quotes.
  it("a mode in quotes gets core's quotes message naming OKTA_CLIENT_AUTHORIZATIONMODE, as the factories give it", () => {
    const env = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_TOKEN: TOKEN };
    for (const mode of ['"SSWS"', "'PrivateKey'", 'SSWS"']) {
      const error = configError(() => readTourConfig({ ...env, OKTA_CLIENT_AUTHORIZATIONMODE: mode }));
      expect([error.variable, error.message]).toEqual(['OKTA_CLIENT_AUTHORIZATIONMODE', 'OKTA_CLIENT_AUTHORIZATIONMODE is wrapped in quotes (or has one at an end): remove them.']);
    }
  });

  // It said "set OKTA_CLIENT_TOKEN (an API token), or …" to a user who had set OKTA_CLIENT_TOKEN, the mode leaving it out.
  it('a mode that leaves out the one credential set names OKTA_CLIENT_AUTHORIZATIONMODE and what is set, not a variable already set', () => {
    const org = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com' };
    const tokenOnly = configError(() => readTourConfig({ ...org, OKTA_CLIENT_TOKEN: TOKEN, OKTA_CLIENT_AUTHORIZATIONMODE: 'PrivateKey' }));
    expect([tokenOnly.variable, tokenOnly.message]).toEqual([
      'OKTA_CLIENT_AUTHORIZATIONMODE',
      'OKTA_CLIENT_AUTHORIZATIONMODE is PrivateKey (a service app), but only OKTA_CLIENT_TOKEN (an API token) is set: unset OKTA_CLIENT_AUTHORIZATIONMODE or set it to SSWS, or set OKTA_CLIENT_CLIENTID, OKTA_CLIENT_SCOPES and OKTA_CLIENT_PRIVATEKEY.',
    ]);
    const appOnly = configError(() => readTourConfig({ ...org, OKTA_CLIENT_CLIENTID: '0oa1b2c3d4e5f6g7h8i9', OKTA_CLIENT_AUTHORIZATIONMODE: 'ssws' }));
    expect([appOnly.variable, appOnly.message]).toEqual([
      'OKTA_CLIENT_AUTHORIZATIONMODE',
      'OKTA_CLIENT_AUTHORIZATIONMODE is SSWS (an API token), but only service app variables (OKTA_CLIENT_CLIENTID) are set: unset OKTA_CLIENT_AUTHORIZATIONMODE or set it to PrivateKey, or set OKTA_CLIENT_TOKEN.',
    ]);
    expect(tokenOnly.message + appOnly.message).not.toContain(TOKEN.slice(2, 20));
  });

  // rev165a: a JWT given as the client id was taken (the web demo printed it on stdout and served it in /config.json).
  it('a client id that is a token or a PEM, or the README\'s shortened 0oa…, stops the tour naming OKTA_CLIENT_CLIENTID, never quoting it', () => {
    const service = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_SCOPES: 'okta.users.read', OKTA_CLIENT_PRIVATEKEY: '-----BEGIN PRIVATE KEY-----' };
    for (const [clientId, said] of [[JWT, /^OKTA_CLIENT_CLIENTID: clientId looks like a token or secret \(not shown\): give the app's Client ID \(its General tab\), such as "0oa1bcd2efGHIJ3kl4m5"\.$/], ['0oa…', /^OKTA_CLIENT_CLIENTID: clientId is shortened/]] as const) {
      const error = configError(() => readTourConfig({ ...service, OKTA_CLIENT_CLIENTID: clientId }));
      expect([error.variable, error.message]).toEqual(['OKTA_CLIENT_CLIENTID', expect.stringMatching(said)]);
      expect(error.message).not.toContain(JWT.slice(0, 20));
    }
  });

  it('a client id or scopes in quotes (docker --env-file keeps them) and a PEM cut to its first line name their variable', () => {
    const service = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oa1b2c3d4e5f6g7h8i9', OKTA_CLIENT_SCOPES: 'okta.users.read', OKTA_CLIENT_PRIVATEKEY: '-----BEGIN PRIVATE KEY-----' };
    const cut = configError(() => readTourConfig(service));
    expect([cut.variable, cut.message]).toEqual(['OKTA_CLIENT_PRIVATEKEY', expect.stringMatching(/^OKTA_CLIENT_PRIVATEKEY: The client key PEM has its "-----BEGIN PRIVATE KEY-----" line but no "-----END PRIVATE KEY-----": it was cut short/)]);
    for (const [name, value] of [['OKTA_CLIENT_CLIENTID', '"0oa1b2c3d4e5f6g7h8i9"'], ['OKTA_CLIENT_SCOPES', "'okta.users.read'"]] as const) {
      const error = configError(() => readTourConfig({ ...service, [name]: value }));
      expect([error.variable, error.message]).toEqual([name, expect.stringMatching(new RegExp(`^${name}: (?:clientId|scopes has an entry that) is wrapped in quotes`))]);
    }
  });
});

describe('readWebConfig', () => {
  // The demo splits OKTA_CLIENT_SCOPES itself: 'openid profile' became the entries 'openid and profile', which the sign-in client took.
  it('scopes in quotes are refused naming OKTA_CLIENT_SCOPES', () => {
    for (const scopes of ["'openid profile'", '"openid profile"', 'openid,profile`']) {
      const error = configError(() => readWebConfig({ OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oaspa', OKTA_CLIENT_SCOPES: scopes }));
      expect([error.variable, error.message], scopes).toEqual(['OKTA_CLIENT_SCOPES', 'OKTA_CLIENT_SCOPES: scopes has an entry that is wrapped in quotes (or has one at an end): remove them.']);
    }
  });

  it('runs on the emulator with no settings, on port 4000 or PORT', () => {
    expect(readWebConfig({})).toEqual({ mode: 'emulator', port: 4000 });
    expect(readWebConfig({ PORT: '5173' })).toEqual({ mode: 'emulator', port: 5173 });
  });

  it('a real org: the SPA app and a redirect URI on this server', () => {
    expect(readWebConfig({ OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oaspa' })).toEqual({
      mode: 'org',
      port: 4000,
      page: {
        orgUrl: 'https://acme.okta.com',
        clientId: '0oaspa',
        redirectUri: 'http://localhost:4000/callback',
        postLogoutRedirectUri: 'http://localhost:4000/',
        scopes: ['openid', 'profile', 'email', 'offline_access', 'okta.users.read'],
        emulator: false,
      },
    });
    const custom = readWebConfig({
      OKTA_CLIENT_ORGURL: 'https://acme.okta.com',
      OKTA_CLIENT_CLIENTID: '0oaspa',
      OKTA_CLIENT_REDIRECTURI: 'http://localhost:8080/login/callback',
      OKTA_CLIENT_SCOPES: 'openid okta.users.read',
    });
    expect(custom).toMatchObject({ port: 8080, page: { redirectUri: 'http://localhost:8080/login/callback', postLogoutRedirectUri: 'http://localhost:8080/', scopes: ['openid', 'okta.users.read'] } });
    // The sign-out redirect on the redirect URI's origin, at any path of its own; openid anywhere in the list.
    const signedOut = readWebConfig({
      OKTA_CLIENT_ORGURL: 'https://acme.okta.com',
      OKTA_CLIENT_CLIENTID: '0oaspa',
      OKTA_CLIENT_REDIRECTURI: 'https://demo.example.com/login/callback',
      OKTA_CLIENT_POSTLOGOUTREDIRECTURI: 'https://demo.example.com/signed-out',
      OKTA_CLIENT_SCOPES: 'okta.users.read,openid',
    });
    expect(signedOut).toMatchObject({ page: { postLogoutRedirectUri: 'https://demo.example.com/signed-out', scopes: ['okta.users.read', 'openid'] } });
  });

  it('still reads the older OKTA_WEB_* names when the OKTA_CLIENT_* ones are unset', () => {
    const old = readWebConfig({
      OKTA_CLIENT_ORGURL: 'https://acme.okta.com',
      OKTA_WEB_CLIENT_ID: '0oaold',
      OKTA_WEB_REDIRECT_URI: 'http://localhost:8080/cb',
      OKTA_WEB_POST_LOGOUT_REDIRECT_URI: 'http://localhost:8080/bye',
      OKTA_WEB_SCOPES: 'openid',
    });
    expect(old).toMatchObject({ port: 8080, page: { clientId: '0oaold', redirectUri: 'http://localhost:8080/cb', postLogoutRedirectUri: 'http://localhost:8080/bye', scopes: ['openid'] } });
    expect(readWebConfig({ OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oanew', OKTA_WEB_CLIENT_ID: '0oaold' })).toMatchObject({ page: { clientId: '0oanew' } });
  });

  it.each([
    [{ OKTA_CLIENT_CLIENTID: '0oaspa' }, 'OKTA_CLIENT_ORGURL'],
    [{ OKTA_CLIENT_ORGURL: 'https://acme.okta.com' }, 'OKTA_CLIENT_CLIENTID'],
    [{ OKTA_CLIENT_ORGURL: 'acme.okta.com', OKTA_CLIENT_CLIENTID: '0oaspa' }, 'OKTA_CLIENT_ORGURL'],
    [{ OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oaspa', OKTA_CLIENT_REDIRECTURI: 'callback' }, 'OKTA_CLIENT_REDIRECTURI'],
    [{ OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oaspa', OKTA_CLIENT_REDIRECTURI: 'http://app.example.com/callback' }, 'OKTA_CLIENT_REDIRECTURI'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '80.0' }, 'PORT'],
    [{ OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_WEB_CLIENT_ID: '0oaspa', OKTA_WEB_REDIRECT_URI: 'callback' }, 'OKTA_WEB_REDIRECT_URI'],
  ])('%j names %s', (env, variable) => {
    const error = configError(() => readWebConfig(env));
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(variable)).toBe(true);
  });

  // Each was taken at start, printed, served to the page, and failed only in the browser (or at Okta), if at all.
  const org = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oaspa' };
  it.each([
    [{ ...org, OKTA_CLIENT_SCOPES: 'openid \u001B[2J' }, 'OKTA_CLIENT_SCOPES', /invalid entry/],
    [{ ...org, OKTA_CLIENT_CLIENTID: '0oa\u001B[2J spa' }, 'OKTA_CLIENT_CLIENTID', /printable ASCII with no spaces/],
    // A token as the client id was printed at start and served in /config.json; the README's example value, shortened, was refused as not printable.
    [{ ...org, OKTA_CLIENT_CLIENTID: JWT }, 'OKTA_CLIENT_CLIENTID', /looks like a token or secret \(not shown\)/],
    [{ ...org, OKTA_CLIENT_CLIENTID: '0oa…' }, 'OKTA_CLIENT_CLIENTID', /is shortened \("…" or "\.\.\." inside it, as in an example\)/],
    [{ ...org, OKTA_CLIENT_REDIRECTURI: 'http://localhost:4000/callback#done' }, 'OKTA_CLIENT_REDIRECTURI', /fragment/],
    [{ ...org, OKTA_CLIENT_REDIRECTURI: 'http://me:hunter2@localhost:4000/callback' }, 'OKTA_CLIENT_REDIRECTURI', /user name or password/],
    [{ ...org, OKTA_CLIENT_POSTLOGOUTREDIRECTURI: 'http://me:hunter2@localhost:4000/' }, 'OKTA_CLIENT_POSTLOGOUTREDIRECTURI', /user name or password/],
    // The server listens on PORT, Okta sends the browser back to the redirect URI's port.
    [{ ...org, PORT: '5000', OKTA_CLIENT_REDIRECTURI: 'http://localhost:4000/callback' }, 'PORT', /4000.*5000|5000.*4000/],
    [{ ...org, PORT: '0' }, 'PORT', /the port registered in the redirect URI/],
    [{ ...org, OKTA_CLIENT_REDIRECTURI: 'http://localhost:0/callback' }, 'OKTA_CLIENT_REDIRECTURI', /port/],
    // The page is served on the redirect URIs' paths: not on the paths of its script, styles or settings.
    [{ ...org, OKTA_CLIENT_REDIRECTURI: 'http://localhost:4000/app.js' }, 'OKTA_CLIENT_REDIRECTURI', /\/app\.js is the page's own/],
    [{ ...org, OKTA_CLIENT_POSTLOGOUTREDIRECTURI: 'http://localhost:4000/config.json' }, 'OKTA_CLIENT_POSTLOGOUTREDIRECTURI', /\/config\.json is the page's own/],
    [{ ...org, OKTA_WEB_REDIRECT_URI: 'https://demo.example.com/app.css' }, 'OKTA_WEB_REDIRECT_URI', /\/app\.css is the page's own/],
    // Number() read these as 4096 and 1000.
    [{ ...org, PORT: '0x1000' }, 'PORT', /a port number/],
    [{ ...org, PORT: '1e3' }, 'PORT', /a port number/],
    // rev165a: taken, then the page failed after sign-in (no ID token, no user id: a 404 on /api/v1/users/).
    [{ ...org, OKTA_CLIENT_SCOPES: 'profile email okta.users.read' }, 'OKTA_CLIENT_SCOPES', /^OKTA_CLIENT_SCOPES has no openid: the page needs the ID token \(openid\)/],
    [{ ...org, OKTA_WEB_SCOPES: 'okta.users.read' }, 'OKTA_WEB_SCOPES', /^OKTA_WEB_SCOPES has no openid/],
    // A token pasted as the scopes is a valid scope token: refused for its missing openid, never quoted.
    [{ ...org, OKTA_CLIENT_SCOPES: TOKEN }, 'OKTA_CLIENT_SCOPES', /has no openid.*Add it, such as "openid profile email offline_access okta\.users\.read"\.$/],
    // The sign-out redirect on another origin than the redirect URI's (another port, another host) was taken.
    [{ ...org, OKTA_CLIENT_POSTLOGOUTREDIRECTURI: 'http://localhost:9999/' }, 'OKTA_CLIENT_POSTLOGOUTREDIRECTURI', /^OKTA_CLIENT_POSTLOGOUTREDIRECTURI is on http:\/\/localhost:9999, not on the redirect URI's origin, http:\/\/localhost:4000/],
    [{ ...org, OKTA_CLIENT_POSTLOGOUTREDIRECTURI: 'https://evil.example/' }, 'OKTA_CLIENT_POSTLOGOUTREDIRECTURI', /not on the redirect URI's origin/],
    [{ ...org, OKTA_CLIENT_REDIRECTURI: 'https://demo.example.com/callback', OKTA_WEB_POST_LOGOUT_REDIRECT_URI: 'https://other.example.com/' }, 'OKTA_WEB_POST_LOGOUT_REDIRECT_URI', /not on the redirect URI's origin, https:\/\/demo\.example\.com/],
  ])('on an org, %j is refused at start, naming %s', (env, variable, pattern) => {
    const error = configError(() => readWebConfig(env));
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(variable)).toBe(true);
    expect(error.message).toMatch(pattern);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain(JWT.slice(0, 20));
    expect(error.message).not.toContain(TOKEN.slice(2, 20));
  });
});

describe('ignoredSettings', () => {
  // One list for both demos (the web demo's, moved): the tour said nothing of a client secret (rev165a).
  it('names OKTA_CLIENT_CLIENTSECRET when set, with why each demo does not use it, never its value; nothing when unset or blank', () => {
    const env = { OKTA_CLIENT_CLIENTSECRET: ' sentinel-secret ' };
    expect(ignoredSettings(env, 'tour')).toEqual([
      "OKTA_CLIENT_CLIENTSECRET is set but not used: the tour's service app (step 2) signs with a private key, OKTA_CLIENT_PRIVATEKEY, not a client secret; an OIN partner app's client id and secret run on the emulated orgs only (step 3).",
    ]);
    expect(ignoredSettings(env, 'web')).toEqual([
      "OKTA_CLIENT_CLIENTSECRET is set but not used: the web demo signs in from the browser, as a single-page app (a public client, with PKCE), which holds no secret. Unset it and use a SPA app's client id.",
    ]);
    for (const demo of ['tour', 'web'] as const) {
      expect(ignoredSettings({ OKTA_CLIENT_CLIENTSECRET: ' ' }, demo)).toEqual([]);
      expect(ignoredSettings({}, demo)).toEqual([]);
    }
  });
});
