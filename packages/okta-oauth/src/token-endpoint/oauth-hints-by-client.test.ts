/**
 * Each factory's OAuth hints (`serviceAppHints`, `oinAppHints`, `signInHints` and the root
 * sign-in client's with `signInDpopHint` and `deviceGrantHint`) against `everyOAuthHint`, the reference
 * chosen by the context alone (what `oauthHint` said before the hints moved to the factories): for
 * every context its client can meet at every endpoint `oauthHint` serves (the methods its app type
 * allows, its grants, none for revocation and introspection, its DPoP modes), every error gives the
 * same message. Every combination is listed, none drawn.
 */
import { describe, expect, it } from 'vitest';
import { everyPageHint } from './browser-hint.js';
import { deviceGrantHint, everyOAuthHint, signInDpopHint, oauthHint, oinAppHints, serviceAppHints, signInHints, tokenRequestError, type OAuthErrorContext, type OAuthHints } from './token-error.js';

const errors = ['invalid_client', 'invalid_scope', 'invalid_dpop_proof', 'use_dpop_nonce', 'unauthorized_client', 'access_denied', 'invalid_grant', undefined];
const descriptions = [undefined, 'Client authentication failed.', 'The client_assertion has no kid and the client has several keys.'];
const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';
/** Okta's browser-request refusals (FIDELITY BR2–BR4): each client meets those of its grants and authentication. */
const pageGrant = ['unauthorized_client', 'Browser requests to the token endpoint may only use the authorization_code grant_type.'] as const;
const pageSecret = ['invalid_client', 'Browser requests to the token endpoint must use Proof Key for Code Exchange.'] as const;
const pageOrigin = ['invalid_request', 'Browser requests to the token endpoint must be part of at least one whitelisted redirect_uri.'] as const;
const answers = errors.flatMap((error) => descriptions.map((description) => [error, description] as const));

/** What a client can meet: each value of each axis (a grant `undefined`: revocation, introspection). */
interface Reach {
  readonly methods: readonly string[];
  readonly grants: readonly (string | undefined)[];
  readonly dpops: readonly OAuthErrorContext['dpop'][];
  /** The browser-request refusals it can meet from a page (a client credentials grant meets the grant rule first). */
  readonly pages: readonly (readonly [string, string])[];
}

const allMethods = ['private_key_jwt', 'client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'none'];
const dpopModes: OAuthErrorContext['dpop'][] = [undefined, { mode: 'required' }, { mode: 'auto' }, { mode: 'off' }];
const clients: [string, OAuthHints, Reach][] = [
  ['service app', serviceAppHints, { methods: ['private_key_jwt'], grants: ['client_credentials'], dpops: dpopModes, pages: [pageGrant] }],
  ['OIN app', oinAppHints, { methods: ['client_secret_basic', 'client_secret_post'], grants: ['client_credentials'], dpops: [undefined], pages: [pageGrant] }],
  ['/sign-in client', signInHints, { methods: allMethods, grants: ['authorization_code', 'refresh_token', undefined], dpops: [undefined], pages: [pageSecret, pageOrigin] }],
  ['root sign-in client', { ...signInHints, dpop: signInDpopHint, grant: deviceGrantHint, page: everyPageHint }, { methods: allMethods, grants: ['authorization_code', 'refresh_token', deviceGrant, undefined], dpops: dpopModes, pages: [pageGrant, pageSecret, pageOrigin] }],
];

describe('OAuth hints: each client\'s own against the reference, at every endpoint', () => {
  for (const [name, hints, reach] of clients) {
    it(`the ${name} says what the reference says, in every context it can meet`, () => {
      // Collected, then checked once: a listed difference names its context (and the check stays cheap).
      const differences: string[] = [];
      let compared = 0;
      for (const method of reach.methods) {
        for (const grantType of reach.grants) {
          for (const dpop of reach.dpops) {
            for (const keyId of [undefined, 'k1']) {
              for (const scope of ['okta.users.read', 'openid okta.users.read', '', undefined]) {
                for (const [error, description] of [...answers, ...reach.pages]) {
                  const context = { clientAuth: { method, keyId }, grantType, dpop, scope };
                  // What every endpoint appends (the token endpoint after its own lead, token-error.test.ts).
                  const own = oauthHint(error, { ...context, hints }, description);
                  if (own !== oauthHint(error, { ...context, hints: everyOAuthHint }, description)) differences.push(`${String(error)} ${JSON.stringify({ ...context, description })}: ${own}`);
                  compared++;
                }
              }
            }
          }
        }
      }
      expect(differences).toEqual([]);
      expect(compared).toBe(reach.methods.length * reach.grants.length * reach.dpops.length * 2 * 4 * (errors.length * descriptions.length + reach.pages.length));
    });
  }

  it('the token endpoint\'s message appends the hint of the client\'s own table', () => {
    for (const [, hints] of clients) {
      const context = { clientAuth: { method: 'private_key_jwt', keyId: 'k1' }, dpop: undefined, grantType: 'client_credentials', scope: 'openid', hints };
      for (const error of errors) {
        const body = { status: 400, requestId: undefined, origin: 'https://acme.okta.com', error, description: 'Refused' };
        expect(tokenRequestError(body, context).message).toBe(`Okta's token endpoint refused the token request (400${error === undefined ? '' : ` ${error}`}): Refused.${oauthHint(error, context, 'Refused')} (acme.okta.com)`);
      }
    }
  });

  it('a client\'s own hints leave out what it cannot meet: the reference differs from them elsewhere', () => {
    const said = (error: string, context: Omit<OAuthErrorContext, 'hints'>, hints: OAuthHints): string => oauthHint(error, { ...context, hints }, undefined);
    const oin = { clientAuth: { method: 'client_secret_basic', keyId: undefined }, grantType: 'client_credentials', scope: 'openid', dpop: { mode: 'auto' } } as const;
    const device = { clientAuth: { method: 'none', keyId: undefined }, grantType: deviceGrant, dpop: undefined } as const;
    // A service app never sends a client secret nor signs in a device; a sign-in client never makes a
    // client credentials grant nor, from /sign-in, a DPoP proof or a device sign-in.
    expect(said('invalid_client', oin, serviceAppHints)).not.toBe(said('invalid_client', oin, everyOAuthHint));
    expect(said('unauthorized_client', device, serviceAppHints)).not.toBe(said('unauthorized_client', device, everyOAuthHint));
    expect(said('invalid_client', oin, signInHints)).not.toBe(said('invalid_client', oin, everyOAuthHint));
    expect(said('invalid_scope', oin, signInHints)).not.toBe(said('invalid_scope', oin, everyOAuthHint));
    expect(said('invalid_dpop_proof', oin, signInHints)).not.toBe(said('invalid_dpop_proof', oin, everyOAuthHint));
    expect(said('unauthorized_client', device, signInHints)).not.toBe(said('unauthorized_client', device, everyOAuthHint));
    // From a page: a client credentials grant meets the grant rule before its authentication; a
    // sign-in client's grants are a page's, and a service app has no redirect URI's origin to serve from.
    const page = (hints: OAuthHints, [error, description]: readonly [string, string]): string => oauthHint(error, { ...oin, hints }, description);
    expect(page(serviceAppHints, pageSecret)).not.toBe(page(everyOAuthHint, pageSecret));
    expect(page(oinAppHints, pageOrigin)).not.toBe(page(everyOAuthHint, pageOrigin));
    expect(page(signInHints, pageGrant)).not.toBe(page(everyOAuthHint, pageGrant));
  });
});
