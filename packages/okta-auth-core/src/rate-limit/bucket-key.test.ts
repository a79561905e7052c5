/**
 * The one key every coordinator's budgets are kept by (`RateLimitScope.bucket`: the memory coordinator, Redis and the
 * Durable Object hash it). Okta limits `/api/v1` apart by method, collection or item, and sub-resource (its rate-limit
 * table, `rl-global-mgmt`: a user got by id 2,000 a minute, the users listed 600, one updated 600 of its own); core
 * folded every `/api/v1/<resource>/**` path into one bucket, whose budget each answer of another limit reset (rev164b
 * M1). The key may be finer than Okta's buckets (each answer's headers say the true remaining), never coarser, and is a
 * template: an id or login (an email) never becomes part of a key, an event's `bucket` or a message.
 */
import { describe, expect, it } from 'vitest';
import { rateLimitBucket } from './bucket-key.js';

const at = (method: string, path: string, secrets?: readonly string[]) => rateLimitBucket({ method, url: new URL(`https://acme.okta.com${path}`) }, secrets);

describe('rateLimitBucket', () => {
  it.each([
    // Okta's users rows: list and create; a user got by id or login; a user updated or deleted.
    ['GET', '/api/v1/users', 'GET /api/v1/users'],
    ['POST', '/api/v1/users', 'write /api/v1/users'],
    ['GET', '/api/v1/users/00u1abcdEFGH2345ijkl', 'GET /api/v1/users/{id}'],
    ['HEAD', '/api/v1/users/00u1abcdEFGH2345ijkl', 'GET /api/v1/users/{id}'],
    ['GET', '/api/v1/users/jane.doe%40acme.com', 'GET /api/v1/users/{id}'],
    ['GET', '/api/v1/users/jane', 'GET /api/v1/users/{id}'],
    ['POST', '/api/v1/users/00u1abcdEFGH2345ijkl', 'write /api/v1/users/{id}'],
    ['PUT', '/api/v1/users/00u1abcdEFGH2345ijkl', 'write /api/v1/users/{id}'],
    ['DELETE', '/api/v1/users/00u1abcdEFGH2345ijkl', 'write /api/v1/users/{id}'],
    // Okta's own user (once a row of its own, "Get my user"): never folded with another id's.
    ['GET', '/api/v1/users/me', 'GET /api/v1/users/me'],
    // A sub-resource: its name kept, the id not; deeper parts marked, their ids not kept.
    ['GET', '/api/v1/users/00u1abcdEFGH2345ijkl/groups', 'GET /api/v1/users/{id}/groups'],
    ['GET', '/api/v1/users/jane@acme.com/groups', 'GET /api/v1/users/{id}/groups'],
    ['POST', '/api/v1/users/00u1abcdEFGH2345ijkl/lifecycle/activate', 'write /api/v1/users/{id}/lifecycle/…'],
    ['POST', '/api/v1/users/00u1/factors/ufs2bysphxKODSZKWVCT/verify', 'write /api/v1/users/{id}/factors/…'],
    ['GET', '/api/v1/iam/resource-sets/iamoJDFKaJxGIr0oamd9g', 'GET /api/v1/iam/{id}/{id}'],
    ['PUT', '/api/v1/groups/00g1/users/00u1', 'write /api/v1/groups/{id}/users/…'],
    // Groups and apps: the collection, and one by id, apart; Okta's group rules are no group id.
    ['GET', '/api/v1/groups', 'GET /api/v1/groups'],
    ['GET', '/api/v1/groups/00g1abcdEFGH2345ijkl', 'GET /api/v1/groups/{id}'],
    ['GET', '/api/v1/groups/rules', 'GET /api/v1/groups/rules'],
    ['GET', '/api/v1/apps', 'GET /api/v1/apps'],
    ['DELETE', '/api/v1/apps/0oa1abcdEFGH2345ijkl', 'write /api/v1/apps/{id}'],
    ['GET', '/api/v1/logs', 'GET /api/v1/logs'],
    // Another API family under its own /api/v1 (WebAuthn registration, integrations, privileged access): the same template
    // after the family's prefix (rev165b: one bucket per user, the id or email in the key, a backoff event and a message).
    ['GET', '/webauthn-registration/api/v1/users/00u1abcdEFGH2345ijkl/enrollments', 'GET /webauthn-registration/api/v1/users/{id}/enrollments'],
    ['GET', '/webauthn-registration/api/v1/users/jane.doe%40acme.com/enrollments', 'GET /webauthn-registration/api/v1/users/{id}/enrollments'],
    ['POST', '/webauthn-registration/api/v1/enroll', 'write /webauthn-registration/api/v1/enroll'],
    ['GET', '/integrations/api/v1/api-services/0oa9qrsTUVW2345xyz', 'GET /integrations/api/v1/api-services/{id}'],
    ['DELETE', '/privileged-access/api/v1/service-accounts/acc42/credentials/x1', 'write /privileged-access/api/v1/service-accounts/{id}/credentials/…'],
    // Okta's OAuth 2.0 client configuration, a bucket of its own (100 a minute): the clients' ids never in the key.
    ['GET', '/oauth2/v1/clients', 'GET /oauth2/v1/clients'],
    ['PUT', '/oauth2/v1/clients/0oa1abcdEFGH2345ijkl', 'write /oauth2/v1/clients/{id}'],
    ['GET', '/oauth2/v1/clients/0oa1abcdEFGH2345ijkl/roles/irb1/targets/catalog/apps', 'GET /oauth2/v1/clients/{id}/roles/…'],
    // The MyAccount API (bucket166): the same template after `/idp/myaccount`, whose paths never hold a user's id or login (it
    // answers for the token's user), so a lower-case word where an item goes is a name (`profile/schema`, `webauthn/registration`):
    // before, each email, phone and enrollment id was a bucket of its own, its id in the key, a backoff event and a message.
    ['GET', '/idp/myaccount/emails', 'GET /idp/myaccount/emails'],
    ['GET', '/idp/myaccount/emails/5a8de6071e1b94e0f4ec664b9e4869e8', 'GET /idp/myaccount/emails/{id}'],
    ['DELETE', '/idp/myaccount/emails/5a8de6071e1b94e0f4ec664b9e4869e8', 'write /idp/myaccount/emails/{id}'],
    ['POST', '/idp/myaccount/emails/5a8de6071e1b94e0f4ec664b9e4869e8/challenge', 'write /idp/myaccount/emails/{id}/challenge'],
    ['POST', '/idp/myaccount/emails/5a8de6071e1b94e0f4ec664b9e4869e8/challenge/01HK7Q2B3C/verify', 'write /idp/myaccount/emails/{id}/challenge/…'],
    ['GET', '/idp/myaccount/phones/sms1bueyI0w0HHwro0g4', 'GET /idp/myaccount/phones/{id}'],
    ['POST', '/idp/myaccount/phones/sms1bueyI0w0HHwro0g4/verify', 'write /idp/myaccount/phones/{id}/verify'],
    ['GET', '/idp/myaccount/authenticators/aut1abcdEFGH2345ijkl/enrollments/pfd1abcdEFGH2345ijkl', 'GET /idp/myaccount/authenticators/{id}/enrollments/…'],
    ['DELETE', '/idp/myaccount/webauthn/fwf1abcdEFGH2345ijkl', 'write /idp/myaccount/webauthn/{id}'],
    ['POST', '/idp/myaccount/webauthn/registration', 'write /idp/myaccount/webauthn/registration'],
    ['DELETE', '/idp/myaccount/app-authenticators/pfd1abcdEFGH2345ijkl', 'write /idp/myaccount/app-authenticators/{id}'],
    ['GET', '/idp/myaccount/profile', 'GET /idp/myaccount/profile'],
    ['GET', '/idp/myaccount/profile/schema', 'GET /idp/myaccount/profile/schema'],
    ['GET', '/idp/myaccount/password/complexity-requirements', 'GET /idp/myaccount/password/complexity-requirements'],
    // A login where a user's id goes is an id (`@` as sent, or encoded): never in a key.
    ['GET', '/api/v1/users/jane.doe@acme.com', 'GET /api/v1/users/{id}'],
    ['DELETE', '/api/v1/users/jane.doe@acme.com', 'write /api/v1/users/{id}'],
    // Custom authorization servers, the default one included, count against one bucket per endpoint for the whole org, as
    // Okta counts them (its `/oauth2/{authorizationServerId}/v1/token` row); the org authorization server's are its own.
    ['POST', '/oauth2/aus1abcdEFGH2345ijkl/v1/token', 'write /oauth2/{authorizationServerId}/v1/token'],
    ['POST', '/oauth2/default/v1/token', 'write /oauth2/{authorizationServerId}/v1/token'],
    ['GET', '/oauth2/default/v1/authorize', 'GET /oauth2/{authorizationServerId}/v1/authorize'],
    ['GET', '/oauth2/aus1abcdEFGH2345ijkl/v1/userinfo', 'GET /oauth2/{authorizationServerId}/v1/userinfo'],
    ['GET', '/oauth2/default/.well-known/openid-configuration', 'GET /oauth2/{authorizationServerId}/.well-known/openid-configuration'],
    // Kept whole: paths with no id (Identity Engine, the sign-in page's), and the browser's own SSO navigations.
    ['POST', '/idp/idx/introspect', 'write /idp/idx/introspect'],
    ['POST', '/login/token/redirect', 'write /login/token/redirect'],
    ['GET', '/sso/idps/0oa1abcdEFGH2345ijkl', 'GET /sso/idps/0oa1abcdEFGH2345ijkl'],
    // A family's segment that is no name, and a path that only begins as one, are paths of their own.
    ['GET', '/oauth2/v1/clientsx/1', 'GET /oauth2/v1/clientsx/1'],
    ['GET', '/api/v1x/users/00u1', 'GET /api/v1x/users/00u1'],
    ['GET', '/idp/myaccountx/emails/e1', 'GET /idp/myaccountx/emails/e1'],
    // Outside /api/v1: the path, by method class, as Okta's OAuth rows limit each endpoint.
    ['POST', '/oauth2/v1/token', 'write /oauth2/v1/token'],
    ['POST', '/oauth2/v1/device/authorize', 'write /oauth2/v1/device/authorize'],
    ['GET', '/oauth2/v1/userinfo', 'GET /oauth2/v1/userinfo'],
    ['get', '/api/v1/users', 'GET /api/v1/users'],
  ])('%s %s → %s', (method, path, bucket) => {
    expect(at(method, path)).toBe(bucket);
  });

  it('no two of Okta\'s users buckets share one: list, get by id, update by id', () => {
    const keys = [at('GET', '/api/v1/users'), at('GET', '/api/v1/users/00u1'), at('POST', '/api/v1/users/00u1')];
    expect(new Set(keys).size).toBe(3);
  });

  it('no id of the families outside /api/v1 reaches a key: 1,000 users of WebAuthn registration, 1,000 OAuth clients, two buckets', () => {
    const keys = new Set(Array.from({ length: 1000 }, (_, n) => [at('GET', `/webauthn-registration/api/v1/users/00u${n}/enrollments`), at('GET', `/oauth2/v1/clients/0oa${n}`)]).flat());
    expect(keys.size).toBe(2);
  });

  it('a walk of 1,000 MyAccount ids is one bucket per resource, no id in a key', () => {
    const ids = Array.from({ length: 1000 }, (_, n) => `${n.toString(16)}a8de6071e1b94e0f4ec664b9e4869e8`);
    const keys = new Set(ids.flatMap((id) => [at('GET', `/idp/myaccount/emails/${id}`), at('POST', `/idp/myaccount/phones/${id}/challenge`)]));
    expect([...keys]).toEqual(['GET /idp/myaccount/emails/{id}', 'write /idp/myaccount/phones/{id}/challenge']);
  });

  it("every custom authorization server's endpoint is one bucket, as Okta counts them, apart from the org authorization server's", () => {
    const servers = ['default', 'aus1abcdEFGH2345ijkl', ...Array.from({ length: 100 }, (_, n) => `aus${n}`)];
    expect(new Set(servers.map((id) => at('POST', `/oauth2/${id}/v1/token`)))).toEqual(new Set(['write /oauth2/{authorizationServerId}/v1/token']));
    expect(at('POST', '/oauth2/v1/token')).not.toBe(at('POST', '/oauth2/default/v1/token'));
  });

  it('a URL alone is a GET', () => {
    expect(rateLimitBucket(new URL('https://acme.okta.com/api/v1/users/00u1'))).toBe('GET /api/v1/users/{id}');
  });

  it('a path outside /api/v1 is scrubbed of what the attempt carries before it is a key', () => {
    expect(at('GET', '/oauth2/v1/x/s3cr3t-value', ['s3cr3t-value'])).not.toContain('s3cr3t-value');
  });
});
