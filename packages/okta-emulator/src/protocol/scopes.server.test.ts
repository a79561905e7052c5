// Scopes at /token, /authorize and /device/authorize, in the words of Okta's OAuth error catalogue
// (docs/FIDELITY.md T4, T8, T11 and T13): an OpenID Connect scope asked for with client_credentials is
// `openid_not_allowed_client_creds`, a scope the org authorization server does not have (a custom one, or
// an okta.* name not in Okta's list) is `illegal_custom_scope` (both also in Okta's support articles quoting
// the answer as sent); of the okta.* scopes asked for, those the app was granted are issued and the others
// dropped, and none granted is `no_org_scopes_granted`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator, type ServiceAppCredentials, type SignInAppCredentials } from '../index.js';
import { basic, clientAssertion, form, JWT_BEARER, postToken } from '../test-helpers/oauth.js';
import { REDIRECT, userTokens } from '../test-helpers/user-tokens.js';

const OPENID_WITH_CLIENT_CREDENTIALS = "Cannot request 'openid' scopes using client credentials.";
// What the org authorization server answers a name it does not have: CAT3's `illegal_custom_scope`, as seen on the wire
// (okta-react-native#315 at /authorize, okta-sdk-dotnet#753/#767 at /token for `okta.users.read+okta.apps.read`), FIDELITY T8.
const NOT_CONFIGURED = 'Custom scopes are not allowed for this request.';
const OPENID_REQUIRED = "Requests for ID tokens or access tokens with OpenID scopes require the 'openid' scope.";
// CAT3 `no_org_scopes_granted` (400 `consent_required`): none of the requested scopes is in the app's grants collection.
const NONE_GRANTED = 'You are not allowed any of the requested scopes.';
const MALFORMED = 'The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.';

/** `first`, then `a` and `b` repeated, space-separated, to exactly `length` characters. */
function scopeOfLength(length: number, first: string, a: string, b: string): string {
  for (let nb = 0; nb * (b.length + 1) <= length; nb++) {
    const rest = length - first.length - nb * (b.length + 1);
    if (rest >= 0 && rest % (a.length + 1) === 0) return [first, ...Array<string>(rest / (a.length + 1)).fill(a), ...Array<string>(nb).fill(b)].join(' ');
  }
  throw new Error(`no scope of ${length} characters`);
}

describe('scopes the org authorization server refuses', () => {
  let org: OktaEmulator;
  let service: ServiceAppCredentials;
  let oin: { clientId: string; clientSecret: string };
  let spa: SignInAppCredentials;
  let native: SignInAppCredentials;
  const redirect = 'http://localhost/cb';

  beforeAll(async () => {
    org = await startEmulator();
    service = org.createServiceApp({ requireDpop: false, scopes: ['okta.users.read'] });
    oin = org.createOinApp({ scopes: ['okta.users.read'] });
    spa = org.createSignInApp({ type: 'spa', redirectUris: [redirect] });
    native = org.createSignInApp({ type: 'native', redirectUris: [redirect], scopes: ['okta.users.read'] });
  });
  afterAll(() => org.close());

  const asService = async (scope: string): Promise<Response> =>
    postToken(org, { grant_type: 'client_credentials', scope, client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(org, service) });
  const asOin = (scope: string): Promise<Response> =>
    postToken(org, { grant_type: 'client_credentials', scope }, { Authorization: basic(oin.clientId, oin.clientSecret) });
  /** Where /authorize sends the browser for `scope`: its error parameters, or the sign-in page (200). */
  const authorizeWith = async (scope: string): Promise<number | Record<string, string>> => {
    const authorize = new URL(`${org.url}/oauth2/v1/authorize`);
    authorize.search = new URLSearchParams({
      client_id: spa.clientId,
      redirect_uri: redirect,
      response_type: 'code',
      scope,
      state: 's-1',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    const res = await fetch(authorize, { redirect: 'manual' });
    return res.status === 302 ? Object.fromEntries(new URL(res.headers.get('location') ?? '').searchParams) : res.status;
  };
  const refusal = async (res: Response): Promise<{ status: number; body: unknown }> => ({ status: res.status, body: await res.json() });

  it('client_credentials: an OpenID Connect scope is invalid_scope "Cannot request \'openid\' scopes using client credentials."', async () => {
    for (const scope of ['openid', 'okta.users.read openid', 'profile', 'okta.users.read email offline_access']) {
      expect(await refusal(await asService(scope))).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: OPENID_WITH_CLIENT_CREDENTIALS } });
      expect(await refusal(await asOin(scope))).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: OPENID_WITH_CLIENT_CREDENTIALS } });
    }
    // The granted scope alone is issued.
    expect((await asService('okta.users.read')).status).toBe(200);
    expect((await asOin('okta.users.read')).status).toBe(200);
  });

  it('a scope the org authorization server does not have is "Custom scopes are not allowed for this request.", at /token, /authorize and /device/authorize', async () => {
    for (const scope of ['custom.read', 'okta.users.read custom.read']) {
      expect(await refusal(await asService(scope))).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: NOT_CONFIGURED } });
    }
    expect(await authorizeWith('openid custom.read')).toEqual({ error: 'invalid_scope', error_description: NOT_CONFIGURED, state: 's-1' });
    const device = await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: native.clientId, scope: 'openid custom.read' }));
    expect(await refusal(device)).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: NOT_CONFIGURED } });
  });

  it('device_sso (Native SSO) is not a scope of the org authorization server ("The org authorization server isn\'t supported"): not configured at /authorize and /device/authorize', async () => {
    expect(await authorizeWith('openid device_sso offline_access')).toEqual({ error: 'invalid_scope', error_description: NOT_CONFIGURED, state: 's-1' });
    const device = await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: native.clientId, scope: 'openid device_sso offline_access' }));
    expect(await refusal(device)).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: NOT_CONFIGURED } });
  });

  it("an app's scopes cannot name a custom scope (the org authorization server has none): refused when the app is made, its okta.* scopes issued", async () => {
    expect(() => org.createServiceApp({ requireDpop: false, scopes: ['okta.users.read', 'custom.read'] })).toThrow(/"custom\.read" is not a scope of the org authorization server/);
    expect(() => org.createSignInApp({ type: 'native', redirectUris: [redirect], scopes: ['custom.read'] })).toThrow(/"custom\.read" is not a scope/);
    const granted = org.createServiceApp({ requireDpop: false, scopes: ['okta.users.read'] });
    const asGranted = async (scope: string): Promise<Response> =>
      postToken(org, { grant_type: 'client_credentials', scope, client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(org, granted) });
    expect(await refusal(await asGranted('custom.read'))).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: NOT_CONFIGURED } });
    expect((await asGranted('okta.users.read')).status).toBe(200);
  });

  it("an okta.* name not in Okta's list of OAuth 2.0 scopes is not configured: refused at /token, /authorize and /device/authorize, and in an app's scopes", async () => {
    // Misspelt, and a resource Okta has no scope for: the org authorization server has neither (before: any okta.* name).
    for (const scope of ['okta.user.read', 'okta.users.read okta.widgets.read', 'okta.users.read+okta.apps.read']) {
      expect(await refusal(await asService(scope))).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: NOT_CONFIGURED } });
    }
    expect(await authorizeWith('openid okta.users.reed')).toEqual({ error: 'invalid_scope', error_description: NOT_CONFIGURED, state: 's-1' });
    const device = await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: native.clientId, scope: 'openid okta.users.reed' }));
    expect(await refusal(device)).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: NOT_CONFIGURED } });
    expect(() => org.createServiceApp({ requireDpop: false, scopes: ['okta.users.read', 'okta.user.read'] })).toThrow(/"okta\.user\.read" is not one of Okta's okta\.\* scopes/);
    expect(() => org.createSignInApp({ type: 'native', redirectUris: [redirect], scopes: ['okta.widgets.manage'] })).toThrow(/"okta\.widgets\.manage" is not one of Okta's/);
  });

  it("any scope of Okta's list may be granted and is issued, not only those of the APIs the emulator serves", async () => {
    const listed = ['okta.authorizationServers.read', 'okta.myAccount.email.read', 'okta.governance.collections.read', 'okta.users.read.self', 'okta.clients.register'];
    const wide = org.createServiceApp({ requireDpop: false, scopes: listed });
    const res = await postToken(org, { grant_type: 'client_credentials', scope: listed.join(' '), client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(org, wide) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { scope: string }).scope.split(' ').sort()).toEqual([...listed].sort());
  });

  it("an OpenID Connect claim scope without openid is invalid_scope (catalogue openid_scope_required), at /authorize and /device/authorize", async () => {
    for (const scope of ['profile', 'email offline_access', 'phone', 'address', 'groups']) {
      expect(await authorizeWith(scope)).toEqual({ error: 'invalid_scope', error_description: OPENID_REQUIRED, state: 's-1' });
    }
    const device = await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: native.clientId, scope: 'profile' }));
    expect(await refusal(device)).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: OPENID_REQUIRED } });
    // With openid, or without a claim scope (offline_access alone: an access token and a refresh token), the sign-in page.
    for (const scope of ['openid profile email', 'offline_access']) expect(await authorizeWith(scope)).toBe(200);
    expect((await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: native.clientId, scope: 'openid profile' }))).status).toBe(200);
  });

  it("client_credentials: of the okta.* scopes requested, those granted to the app are issued and the others dropped; the token carries only those", async () => {
    // Okta: "If the scope exists in the grants collection, the scope is granted" (service app guide); a token
    // with two of four requested scopes, as seen on the wire (terraform-provider-okta#2375). Before: 400 invalid_scope.
    const res = await asService('okta.users.read okta.groups.read okta.users.manage');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; scope: string };
    expect(body.scope).toBe('okta.users.read');
    const bearer = { authorization: `Bearer ${body.access_token}` };
    expect((await fetch(`${org.url}/api/v1/users`, { headers: bearer })).status).toBe(200);
    const groups = await fetch(`${org.url}/api/v1/groups`, { headers: bearer });
    expect(groups.status).toBe(403);
    expect(groups.headers.get('www-authenticate')).toContain('scope="okta.groups.read"');
    const fromOin = await asOin('okta.groups.read okta.users.read');
    expect(fromOin.status).toBe(200);
    expect(((await fromOin.json()) as { scope: string }).scope).toBe('okta.users.read');
  });

  it('client_credentials: none of the okta.* scopes requested granted to the app is 400 consent_required "You are not allowed any of the requested scopes."', async () => {
    for (const scope of ['okta.users.manage', 'okta.groups.read okta.apps.read']) {
      expect(await refusal(await asService(scope))).toEqual({ status: 400, body: { error: 'consent_required', error_description: NONE_GRANTED } });
      expect(await refusal(await asOin(scope))).toEqual({ status: 400, body: { error: 'consent_required', error_description: NONE_GRANTED } });
    }
    // A name the org does not have is refused first, whatever else is asked for.
    expect(await refusal(await asService('okta.users.read okta.groups.read okta.user.read'))).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: NOT_CONFIGURED } });
  });

  it('a sign-in app: an okta.* scope it was not granted is dropped at /authorize and /device/authorize, the OIDC and granted ones issued; none granted is consent_required', async () => {
    org.createUser({ login: 'ada@example.com', password: 'Correct-Horse1', admin: true });
    const granted = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], scopes: ['okta.users.read'] });
    const tokens = await userTokens(org, granted.clientId, 'ada@example.com', 'Correct-Horse1', 'openid okta.users.read okta.groups.read');
    expect(tokens.scope).toBe('openid okta.users.read');
    const device = await refusal(await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: native.clientId, scope: 'openid okta.groups.read okta.users.read' })));
    expect(device.status).toBe(200);
    org.approveDevice((device.body as { user_code: string }).user_code, 'ada@example.com');
    const polled = await postToken(org, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: (device.body as { device_code: string }).device_code, client_id: native.clientId });
    expect(((await polled.json()) as { scope: string }).scope).toBe('openid okta.users.read');
    expect(await authorizeWith('okta.users.read')).toEqual({ error: 'consent_required', error_description: NONE_GRANTED, state: 's-1' });
    const none = await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: native.clientId, scope: 'okta.groups.read' }));
    expect(await refusal(none)).toEqual({ status: 400, body: { error: 'consent_required', error_description: NONE_GRANTED } });
  });

  it('a scope parameter over 1024 characters (OIDC "Scope values") is invalid_scope at /token, /authorize and /device/authorize; 1024 are taken', async () => {
    const wide = org.createServiceApp({ requireDpop: false, scopes: ['okta.users.read', 'okta.logs.read'] });
    const asWide = async (scope: string): Promise<Response> =>
      postToken(org, { grant_type: 'client_credentials', scope, client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(org, wide) });
    const machine = (length: number) => scopeOfLength(length, 'okta.users.read', 'okta.users.read', 'okta.logs.read');
    const person = (length: number) => scopeOfLength(length, 'openid', 'email', 'groups');
    expect(machine(1024)).toHaveLength(1024);
    expect(person(1025)).toHaveLength(1025);
    expect((await asWide(machine(1024))).status).toBe(200);
    expect(await refusal(await asWide(machine(1025)))).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: MALFORMED } });
    expect(await authorizeWith(person(1024))).toBe(200);
    expect(await authorizeWith(person(1025))).toEqual({ error: 'invalid_scope', error_description: MALFORMED, state: 's-1' });
    expect((await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: native.clientId, scope: person(1024) }))).status).toBe(200);
    const device = await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: native.clientId, scope: person(1025) }));
    expect(await refusal(device)).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: MALFORMED } });
  });
});
