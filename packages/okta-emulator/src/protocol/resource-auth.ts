import type { OrgContext } from '../state/context.js';
import { DPOP_ALGS, DpopProofError, expectedHtu, proofHeader, verifyDpopProof } from './dpop.js';
import { oktaError, ReplyError } from '../http/errors.js';
import { emptyReply, header, type EmuRequest, type Reply } from '../http/http-types.js';
import type { AccessTokenRecord, ApiTokenRecord } from '../state/model.js';

/** Who made an `/api/v1/*` call. */
export type Principal =
  | { kind: 'ssws'; token: ApiTokenRecord }
  | { kind: 'oauth'; token: AccessTokenRecord; scheme: 'Bearer' | 'DPoP' };

const API_TOKEN_IDLE_MS = 30 * 24 * 3600 * 1000;

interface Challenge {
  error: string;
  description: string;
  scope?: string | undefined;
}

/** Okta's `WWW-Authenticate` challenge for OAuth calls to the resource server. */
export function challenge(ctx: OrgContext, req: EmuRequest, scheme: 'Bearer' | 'DPoP', c: Challenge): string {
  const parts: string[] = [];
  if (scheme === 'DPoP') parts.push(`algs="${DPOP_ALGS.join(' ')}"`);
  parts.push(`authorization_uri="${ctx.url}/oauth2/v1/authorize"`, `realm="${ctx.url}"`);
  if (c.scope !== undefined) parts.push(`scope="${c.scope}"`);
  parts.push(`error="${c.error}"`, `error_description="${c.description}"`, `resource="${req.rawPath}"`);
  return `${scheme} ${parts.join(', ')}`;
}

function reject(status: number, wwwAuthenticate: string, code: 'E0000011' | 'E0000006', cause: string, extra: Record<string, string> = {}): never {
  throw new ReplyError(
    oktaError(status, code, undefined, [cause], { 'WWW-Authenticate': wwwAuthenticate, ...extra }),
  );
}

/**
 * The resource server's 400 refusal of a DPoP request (a bound token sent as `Bearer`, a missing or refused proof):
 * the `DPoP` challenge naming `error`, its description and the `scope` the endpoint needs, with no body, as Okta
 * sends it (FIDELITY D4–D18, D22): the challenge with `scope` (okta-sdk-nodejs#453, terraform-provider-okta#2392),
 * a zero-length body (okta-sdk-dotnet#825, #852).
 */
function refuseDpop(ctx: OrgContext, req: EmuRequest, scope: string, error: 'invalid_request' | 'invalid_dpop_proof', description: string): never {
  throw new ReplyError(emptyReply(400, { 'WWW-Authenticate': challenge(ctx, req, 'DPoP', { error, description, scope }) }));
}

/**
 * Who a management call counts against for Okta's per-token / per-app rate-limit share: the API
 * token (`token:<id>`) or the OAuth app a token was issued to (`app:<clientId>`). Unknown
 * credentials count against no principal (they fail authentication anyway).
 *
 * @see https://developer.okta.com/docs/reference/rl2-token-oauth/
 */
export function rateLimitPrincipal(ctx: OrgContext, authorization: string | undefined): string | undefined {
  const m = /^(\S+)\s+(\S+)$/.exec(authorization?.trim() ?? '');
  const scheme = m?.[1]?.toLowerCase();
  const credential = m?.[2] ?? '';
  if (scheme === 'ssws') {
    const token = ctx.store.findApiToken(credential);
    return token === undefined ? undefined : `token:${token.id}`;
  }
  if (scheme === 'bearer' || scheme === 'dpop') {
    const token = ctx.store.accessTokens.get(credential);
    return token === undefined ? undefined : `app:${token.clientId}`;
  }
  return undefined;
}

/** An unknown access token's `error_description` (`invalid_token`), at `/api/v1/*` and `/userinfo`. */
export const INVALID_TOKEN = 'The access token is invalid.';
/** A token without the scope a call needs (`insufficient_scope`; CAT `access_token_insufficient_scopes`). */
export const INSUFFICIENT_SCOPE = 'The access token provided does not contain the required scopes.';

/** Is an access token unusable (revoked or expired on the org clock)? Returns why, or undefined. */
export function accessTokenProblem(ctx: OrgContext, token: AccessTokenRecord | undefined): string | undefined {
  if (token === undefined) return INVALID_TOKEN;
  if (token.revoked) return 'The access token has been revoked.';
  if (ctx.clock.nowSeconds() >= token.expiresAt) return 'The token has expired.';
  return undefined;
}

/**
 * Okta's 401 `E0000011` for a credential it refuses as invalid, in the request's scheme: for a `Bearer` or `DPoP`
 * access token with the cause `problem` (an unknown token's by default) and the `invalid_token` challenge; for an API
 * token (or any other scheme) the bare body, with no `WWW-Authenticate` (okta-protocol §1; Okta shows none for `SSWS` [I]).
 * The one builder of the management API's 401, for {@link authenticate} and a 401 fault ({@link managementFault}).
 */
export function invalidToken(ctx: OrgContext, req: EmuRequest, problem = INVALID_TOKEN): Reply {
  const scheme = /^(\S+)\s/.exec(header(req, 'authorization')?.trim() ?? '')?.[1]?.toLowerCase();
  if (scheme !== 'bearer' && scheme !== 'dpop') return oktaError(401, 'E0000011');
  const challenged = challenge(ctx, req, scheme === 'dpop' ? 'DPoP' : 'Bearer', { error: 'invalid_token', description: problem });
  return oktaError(401, 'E0000011', undefined, [problem], { 'WWW-Authenticate': challenged });
}

/**
 * The answer of a `status` fault of 401 given no `body` on a management path (every path outside `/oauth2/`,
 * FIDELITY FA5): what the org answers a bad credential there ({@link invalidToken}). `undefined` for another path or
 * status (`faultError`'s, FA1–FA3, FA5).
 */
export function managementFault(ctx: OrgContext, req: EmuRequest, status: number): Reply | undefined {
  return status === 401 && !req.rawPath.startsWith('/oauth2/') ? invalidToken(ctx, req) : undefined;
}

/**
 * Authenticate an `/api/v1/*` request: `SSWS` API tokens, `Bearer` access tokens and
 * `DPoP` access tokens with a proof. Throws a {@link ReplyError} with Okta's answer on failure.
 * `scope`: the scope the endpoint needs (`okta.users.read`; `openid` at `/userinfo`), which Okta's
 * `DPoP` challenge names when it refuses the request's DPoP, as its `insufficient_scope` one does.
 */
export async function authenticate(ctx: OrgContext, req: EmuRequest, scope: string): Promise<Principal> {
  const auth = header(req, 'authorization')?.trim() ?? '';
  const m = /^(\S+)\s+(\S+)$/.exec(auth);
  const scheme = m?.[1]?.toLowerCase();
  const credential = m?.[2];
  if (m === null || scheme === undefined || credential === undefined) {
    throw new ReplyError(oktaError(403, 'E0000005'));
  }

  if (scheme === 'ssws') {
    const token = ctx.store.findApiToken(credential);
    const now = ctx.clock.nowMs();
    if (token?.status === 'ACTIVE' && now - token.lastUsed > API_TOKEN_IDLE_MS) token.status = 'EXPIRED';
    // "Tokens are valid only if the user who created them is active" (Okta's "Manage Okta API tokens"):
    // its admin suspended, deactivated or deleted, the token is refused as an invalid one (Okta support,
    // "HTTP 401 Okta E0000011 Invalid Token provided": "The Okta account used to create the API token is no longer active").
    if (token?.status !== 'ACTIVE' || ctx.store.apiTokenOwner(token)?.status !== 'ACTIVE') throw new ReplyError(invalidToken(ctx, req));
    token.lastUsed = now;
    return { kind: 'ssws', token };
  }

  if (scheme === 'bearer') {
    const token = ctx.store.accessTokens.get(credential);
    const problem = accessTokenProblem(ctx, token);
    if (problem !== undefined || token === undefined) throw new ReplyError(invalidToken(ctx, req, problem));
    if (token.jkt !== undefined) {
      refuseDpop(ctx, req, scope, 'invalid_request', 'The resource request must use the DPoP authentication scheme when using a DPoP bound token.');
    }
    return { kind: 'oauth', token, scheme: 'Bearer' };
  }

  if (scheme === 'dpop') {
    const token = ctx.store.accessTokens.get(credential);
    const problem = accessTokenProblem(ctx, token);
    if (problem !== undefined || token === undefined) throw new ReplyError(invalidToken(ctx, req, problem));
    if (token.jkt === undefined) throw new ReplyError(invalidToken(ctx, req, 'The presented access_token is not DPoP bound.'));
    await checkResourceProof(ctx, req, token, scope);
    return { kind: 'oauth', token, scheme: 'DPoP' };
  }

  throw new ReplyError(oktaError(403, 'E0000005'));
}

async function checkResourceProof(ctx: OrgContext, req: EmuRequest, token: AccessTokenRecord, scope: string): Promise<void> {
  const fail = (description: string): never => refuseDpop(ctx, req, scope, 'invalid_dpop_proof', description);
  try {
    const proof = proofHeader(req.headers);
    if (proof === undefined) {
      refuseDpop(ctx, req, scope, 'invalid_request', 'The resource request requires a DPoP proof.');
    } else {
      const verified = await verifyDpopProof(ctx, proof, {
        htm: req.method,
        htu: expectedHtu(ctx.url, req.rawPath),
        accessToken: token.value,
      });
      if (verified.jkt !== token.jkt) fail('The access_token is not bound to the provided DPoP proof.');
      if (ctx.requireResourceNonce && (verified.nonce === undefined || !ctx.nonces.isAcceptable(verified.nonce))) {
        const description = 'Resource server requires nonce in DPoP proof.';
        reject(401, challenge(ctx, req, 'DPoP', { error: 'use_dpop_nonce', description, scope }), 'E0000011', description, {
          'DPoP-Nonce': ctx.nonces.current(),
        });
      }
    }
  } catch (e) {
    if (e instanceof DpopProofError) fail(e.description);
    throw e;
  }
}

/** Scopes that satisfy a `read` or `manage` need on a resource (`okta.users`): `.manage` includes `.read`. */
export function acceptableScopes(resource: string, need: 'read' | 'manage'): string[] {
  return need === 'read' ? [`${resource}.read`, `${resource}.manage`] : [`${resource}.manage`];
}

/**
 * Enforce the scope (and, for user tokens, the admin right) an endpoint needs. `selfUserId`: the
 * user a read or a profile update is about, when it is one user; a token of that very user may read
 * it with a `self` scope (`okta.users.read.self` or `.manage.self`) and update its profile with
 * `.manage.self`, admin or not: "The self scopes … only allow access to the user who authorized the
 * token"; "`okta.users.manage.self`: Allows an app to manage the currently signed-in user's profile"
 * (Okta, "Implement OAuth for Okta", "Scopes"; FIDELITY M15). Callers pass it for nothing else.
 * Returns `'self'` when only a `self` scope grants the call (an end user's own request, M16), else `'admin'`.
 */
export function requireScope(ctx: OrgContext, req: EmuRequest, principal: Principal, resource: string, need: 'read' | 'manage', selfUserId?: string): 'self' | 'admin' {
  // An API token has its creator's admin rights, and follows a change to them (okta-protocol §1): none, 403.
  if (principal.kind === 'ssws') {
    if (ctx.store.apiTokenOwner(principal.token)?.admin !== true) throw new ReplyError(oktaError(403, 'E0000006'));
    return 'admin';
  }
  const ok = acceptableScopes(resource, need);
  const { token, scheme } = principal;
  const admin = token.scopes.some((s) => ok.includes(s)) && (token.userId === undefined || ctx.store.users.get(token.userId)?.admin === true);
  const self = need === 'read' ? [`${resource}.read.self`, `${resource}.manage.self`] : [`${resource}.manage.self`];
  if (!admin && selfUserId !== undefined && token.userId === selfUserId && token.scopes.some((s) => self.includes(s))) return 'self';
  if (!token.scopes.some((s) => ok.includes(s))) {
    reject(403, challenge(ctx, req, scheme, { error: 'insufficient_scope', description: INSUFFICIENT_SCOPE, scope: `${resource}.${need}` }), 'E0000006', INSUFFICIENT_SCOPE);
  }
  if (token.userId !== undefined) {
    const user = ctx.store.users.get(token.userId);
    if (user?.admin !== true) throw new ReplyError(oktaError(403, 'E0000006'));
  }
  return 'admin';
}
