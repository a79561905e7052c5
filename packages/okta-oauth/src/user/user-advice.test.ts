import type { AnswerState } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { userAdvice } from './user-advice.js';
import { userInfoAdvice } from './userinfo.js';

/** Okta's challenge, naming the missing scope (none when `scope` is empty). */
const challenge = (scope: string) => `Bearer realm="x", ${scope === '' ? '' : `scope="${scope}", `}error="insufficient_scope", error_description="The access token provided does not contain the required scopes."`;

/**
 * The advice for a 403 `insufficient_scope` from `path`, the client asking for `requested`, the token granted `granted`:
 * `userInfo`'s own advice for its call of the UserInfo endpoint (`…/v1/userinfo`), the credential's for any other call.
 */
function advice(path: string, missing: string, requested: string, granted: string | undefined, current?: string): string | undefined {
  const state = {
    request: new Request(`https://acme.okta.com${path}`),
    response: new Response(null, { status: 403, headers: { 'www-authenticate': challenge(missing) } }),
    errorCode: 'insufficient_scope',
  } as unknown as AnswerState;
  const own = path.endsWith('/v1/userinfo') ? userInfoAdvice(requested, () => current) : userAdvice({ hints: { client: () => '' } }, () => current);
  return own(state, granted);
}

describe('userAdvice: an insufficient_scope', () => {
  it('from the UserInfo endpoint: sign in again asking for openid (OIDC Core §5.3), not an API scope grant', () => {
    for (const [requested, granted] of [['openid profile', 'openid profile'], ['profile email', 'profile email']] as const) {
      expect(advice('/oauth2/v1/userinfo', 'openid', requested, granted)).toBe(
        `The UserInfo endpoint needs an access token issued with openid (OIDC Core §5.3; this one's: ${granted}): sign the user in again with openid in scopes.`,
      );
    }
  });

  it('from the UserInfo endpoint, openid asked for and not granted: allow it for the app, then sign in again', () => {
    const said = [advice('/oauth2/aus1/v1/userinfo', 'openid', 'openid profile', 'profile'), advice('/oauth2/v1/userinfo', 'openid', 'openid profile', undefined, 'profile')];
    expect(said).toEqual(Array.from({ length: 2 }, () =>
      "The UserInfo endpoint needs an access token issued with openid (OIDC Core §5.3; this one's: profile): Okta did not grant the openid asked for; allow it for the app (its authorization server's access policy), then sign the user in again with openid in scopes.",
    ));
  });

  it("userInfo's call, its challenge naming no scope, is the same case; a challenge naming openid elsewhere says to sign in again with it; another scope is the API scope advice", () => {
    expect(advice('/oauth2/v1/userinfo', '', 'openid', 'openid')).toMatch(/^The UserInfo endpoint needs .*sign the user in again with openid in scopes\.$/);
    // Another call (none of userInfo's): the missing openid named, and the fix, without the UserInfo words (userInfo's, in its own module).
    for (const path of ['/oauth2/v1/other', '/oauth2/v1/userinfo']) {
      expect(userAdvice({ hints: { client: () => '' } }, () => undefined)({
        request: new Request(`https://acme.okta.com${path}`),
        response: new Response(null, { status: 403, headers: { 'www-authenticate': challenge('openid') } }),
        errorCode: 'insufficient_scope',
      } as unknown as AnswerState, 'profile')).toBe("The user's token lacks openid (granted: profile): sign the user in again with openid in scopes.");
    }
    expect(advice('/api/v1/users', 'okta.users.read', 'openid okta.users.read', 'openid')).toBe(
      "The user's token lacks a scope this API needs (granted: openid): grant it to the app (Okta API Scopes tab), add it to scopes, and sign the user in again (it acts with the user's admin role; their own groups come with the groups scope).",
    );
  });
});

/** The advice for an answer of `status` with `errorCode`, the client's proof hint saying `proof`. */
function adviceFor(status: number, errorCode: string | undefined, proof?: string): string | undefined {
  const state = { request: new Request('https://acme.okta.com/api/v1/users'), response: new Response(null, { status }), errorCode } as unknown as AnswerState;
  return userAdvice({ hints: { client: () => '', ...(proof === undefined ? {} : { proof: () => proof }) } }, () => undefined)(state, 'openid');
}

describe('userAdvice: the rest of its cases', () => {
  it("an unknown grant is said so, and never taken as Okta's refusal of openid", () => {
    expect(advice('/oauth2/v1/userinfo', 'openid', 'openid', undefined, undefined)).toBe(
      "The UserInfo endpoint needs an access token issued with openid (OIDC Core §5.3; this one's: unknown): sign the user in again with openid in scopes.",
    );
  });

  it('reads the insufficient_scope challenge, not another one naming openid before it', () => {
    const state = {
      request: new Request('https://acme.okta.com/api/v1/users'),
      response: new Response(null, { status: 403, headers: { 'www-authenticate': 'DPoP error="invalid_token", scope="openid", Bearer error="insufficient_scope", scope="okta.users.read"' } }),
      errorCode: 'insufficient_scope',
    } as unknown as AnswerState;
    expect(userAdvice({ hints: { client: () => '' } }, () => undefined)(state, 'openid')).toMatch(/^The user's token lacks a scope this API needs/);
  });

  it("Okta's 403 with E0000006 in the body and an insufficient_scope challenge is the scope's advice, as a service app's, not the admin role's", () => {
    // Okta's answer to a user token lacking an API scope (the body's code wins errorCode; the scope is only in the challenge):
    // before the fifty-second session (spa143) the advice blamed the user's admin role.
    const lacking = (scope: string) => ({
      request: new Request('https://acme.okta.com/api/v1/users/me'),
      response: new Response(null, { status: 403, headers: { 'www-authenticate': challenge(scope) } }),
      errorCode: 'E0000006',
    }) as unknown as AnswerState;
    const advise = userAdvice({ hints: { client: () => '' } }, () => undefined);
    expect(advise(lacking('okta.users.read'), 'openid okta.users.read.self')).toBe(
      "The user's token lacks a scope this API needs (granted: openid okta.users.read.self): grant it to the app (Okta API Scopes tab), add it to scopes, and sign the user in again (it acts with the user's admin role; their own groups come with the groups scope).",
    );
    expect(advise(lacking('openid'), 'profile')).toBe("The user's token lacks openid (granted: profile): sign the user in again with openid in scopes.");
  });

  it("an admin role's refusal (E0000006, or a 403 without a code), a 401 after the refresh, else the client's proof hint", () => {
    const role = "The signed-in user's admin role does not allow this action on this resource (user tokens carry the user's own permissions).";
    const after = "Okta refused the user's access token even after a refresh: the user may have been deactivated or signed out elsewhere.";
    expect([adviceFor(403, 'E0000006'), adviceFor(403, undefined), adviceFor(400, 'E0000006')]).toEqual([role, role, role]);
    expect([adviceFor(401, undefined), adviceFor(401, 'invalid_token')]).toEqual([after, after]);
    expect([adviceFor(403, 'E0000001'), adviceFor(400, undefined), adviceFor(400, 'invalid_dpop_proof', 'the proof hint')]).toEqual([undefined, undefined, 'the proof hint']);
  });
});
