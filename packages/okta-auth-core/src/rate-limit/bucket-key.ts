import type { RequestAttempt } from '../credential.js';
import { shownPath } from '../secrets/secret.js';

/**
 * The rate-limit bucket of an attempt (a URL alone is a GET's; `RateLimitScope.bucket`, the one key every coordinator keeps a budget by, and
 * what a `backoff` event and a spent window's `RATE_LIMITED` name): its method class, `GET` (GET, HEAD) or `write`,
 * and its path as a template, scrubbed of the attempt's `secrets` first. Okta limits `/api/v1` apart by method,
 * collection or item, and sub-resource (a user got by id, 2,000 a minute, the users listed, 600, one updated, 600 of
 * its own), so a path there is its resource, `{id}` for an item, the sub-resource's name (`{id}` for what is no name)
 * and `…` for anything deeper: never an id or a login (an email) in a key, a log or a message, and never two of Okta's
 * buckets in one (an answer of another limit would reset the budget and what it said was spent). Finer than Okta's
 * buckets is safe (each answer says its own remaining). `me` (Okta's own user, once a row of its own) and
 * `/api/v1/groups/rules` (no group) are kept. The same template follows the prefix of Okta's other API families
 * (`/<family>/api/v1/`: `/webauthn-registration/api/v1/users/{id}/enrollments`) and of its OAuth 2.0 client configuration
 * (`/oauth2/v1/clients/{id}`, a bucket of Okta's own): until bucket165 they kept their ids, one bucket per user or client.
 * Another path is its own bucket (`/oauth2/v1/token`, `/oauth2/{authorizationServerId}/v1/token`). @internal
 * @example
 * ```ts
 * rateLimitBucket({ method: 'POST', url: new URL('https://acme.okta.com/api/v1/users/00u1') }); // 'write /api/v1/users/{id}'
 * ```
 * @see https://developer.okta.com/docs/reference/rl-global-mgmt/
 */
export function rateLimitBucket(attempt: URL | Pick<RequestAttempt, 'url' | 'method'>, secrets: readonly string[] = []): string {
  const [url, method] = 'url' in attempt ? [attempt.url, attempt.method] : [attempt, 'GET'];
  const path = shownPath(url, secrets);
  // The API's prefix (`/api/v1`, a family's `/webauthn-registration/api/v1`, or `/oauth2/v1` before `clients`), then the resource.
  const [, prefix, resource, item, sub, deeper] = /^(\/(?:[a-z][a-z-]*\/)?api\/v1|\/oauth2\/v1(?=\/clients(?:\/|$)))\/([^/]+)(?:\/([^/]*)(?:\/([^/]*)(\/.*)?)?)?$/.exec(path) ?? [];
  const named = item === 'me' || (item === 'rules' && resource === 'groups');
  const template =
    resource === undefined
      ? path
      : `${prefix}/${resource}${item === undefined ? '' : named ? `/${item}` : '/{id}'}${sub === undefined ? '' : /^[a-z][a-z-]*$/i.test(sub) ? `/${sub}` : '/{id}'}${deeper === undefined ? '' : '/…'}`;
  return `${/^(GET|HEAD)$/i.test(method) ? 'GET' : 'write'} ${template}`;
}
