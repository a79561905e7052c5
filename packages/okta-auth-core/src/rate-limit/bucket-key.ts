import type { RequestAttempt } from '../credential.js';
import { shownPath } from '../secrets/secret.js';

/**
 * The rate-limit bucket of an attempt (a URL alone is a GET's; `RateLimitScope.bucket`, the one key every coordinator keeps a budget by, and
 * what a `backoff` event and a spent window's `RATE_LIMITED` name): its method class, `GET` (GET, HEAD) or `write`,
 * and its path as a template, scrubbed of the attempt's `secrets` first. Okta limits `/api/v1` apart by method,
 * collection or item, and sub-resource (a user got by id, 2,000 a minute, the users listed, 600, one updated, 600 of
 * its own), so a path there is its resource, `{id}` for an item, the sub-resource's name (`{id}` for what is no name)
 * and `…` for anything deeper: never an id or a login (an email, `/api/v1/users/jane@acme.com`) in a key, a log or a
 * message, and never two of Okta's buckets in one (an answer of another limit would reset the budget and what it said
 * was spent). Okta keeps its buckets per endpoint template, for the org (and a client's share of it), not per object an id
 * names. Finer than Okta's buckets is safe (each answer says its own remaining). `me` (Okta's own user, once a row of its own) and
 * `/api/v1/groups/rules` (no group) are kept.
 *
 * The same template follows the prefix of Okta's other API families (`/<family>/api/v1/`:
 * `/webauthn-registration/api/v1/users/{id}/enrollments`), of its OAuth 2.0 client configuration (`/oauth2/v1/clients/{id}`,
 * a bucket of Okta's own; both until bucket165 one bucket per user or client) and of the MyAccount API (`/idp/myaccount/`:
 * `/idp/myaccount/emails/{id}/challenge`, `/idp/myaccount/authenticators/{id}/enrollments/…`; until bucket166 one bucket per
 * email, phone or enrollment, its id in the key). MyAccount's paths never hold a user's id or login (it answers for the
 * token's user), so a lower-case word where its item goes is a name, kept: `profile/schema`, `webauthn/registration` (one
 * bucket with a WebAuthn enrollment's id would be two of Okta's in one). A custom authorization server's id is
 * `{authorizationServerId}` (`/oauth2/{authorizationServerId}/v1/token`): Okta counts every custom server of an org, the
 * default one too, in one bucket per endpoint, apart from the org authorization server's (`/oauth2/v1/token`).
 *
 * Kept whole, each path its own bucket: the org authorization server's other endpoints (`/oauth2/v1/token`,
 * `/oauth2/v1/device/authorize`: no id), Identity Engine's `/idp/idx/…` and the sign-in page's `/login/…` (no id in the
 * path; each endpoint finer than Okta's `/idp/idx` row), and the browser's own navigations, `/sso/idps/<idp>` and
 * `/app/<app>/<key>/sso/saml` (no client here fetches them; their ids are the org's configured identity providers and apps,
 * few, never a user's). @internal
 * @example
 * ```ts
 * rateLimitBucket({ method: 'POST', url: new URL('https://acme.okta.com/api/v1/users/00u1') }); // 'write /api/v1/users/{id}'
 * ```
 * @see https://developer.okta.com/docs/reference/rl-global-mgmt/
 * @see https://support.okta.com/help/s/article/how-the-rate-limits-work-for-authorization-servers
 */
export function rateLimitBucket(attempt: URL | Pick<RequestAttempt, 'url' | 'method'>, secrets: readonly string[] = []): string {
  const [url, method] = 'url' in attempt ? [attempt.url, attempt.method] : [attempt, 'GET'];
  // A custom authorization server's id out: Okta counts them all, the default one too, in one bucket per endpoint.
  const path = shownPath(url, secrets).replace(/^\/oauth2\/(?!v1\/)[^/]+(?=\/v1\/|\/\.well-known\/)/, '/oauth2/{authorizationServerId}');
  // The API's prefix (`/api/v1`, a family's `/webauthn-registration/api/v1`, MyAccount's `/idp/myaccount`, or `/oauth2/v1` before `clients`), then the resource.
  const [, prefix, resource, item, sub, deeper] = /^(\/(?:[a-z][a-z-]*\/)?api\/v1|\/idp\/myaccount|\/oauth2\/v1(?=\/clients(?:\/|$)))\/([^/]+)(?:\/([^/]*)(?:\/([^/]*)(\/.*)?)?)?$/.exec(path) ?? [];
  // A name where an item goes: Okta's own user, the group rules, and a lower-case word of MyAccount's (no user id or login there).
  const named = item === 'me' || (item === 'rules' && resource === 'groups') || (prefix === '/idp/myaccount' && /^[a-z][a-z-]*$/.test(item ?? ''));
  const template =
    resource === undefined
      ? path
      : `${prefix}/${resource}${item === undefined ? '' : named ? `/${item}` : '/{id}'}${sub === undefined ? '' : /^[a-z][a-z-]*$/i.test(sub) ? `/${sub}` : '/{id}'}${deeper === undefined ? '' : '/…'}`;
  return `${/^(GET|HEAD)$/i.test(method) ? 'GET' : 'write'} ${template}`;
}
