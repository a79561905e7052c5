import type { ClientAuth } from './client-auth.js';
import type { DiscoveryCache, OrgServerMetadata } from './discovery.js';
import { OktaSignInError } from './errors.js';
import { formPost, oauthErrorFromResponse, send, type HttpOptions } from './http.js';
import type { IdTokenClaims } from './id-token.js';
import { validateIdToken } from './id-token.js';
import type { JwksCache } from './jwks.js';
import type { SignInStorage } from './storage.js';
import { readTokenResponse } from './token-response.js';
import type { UserTokens } from './tokens.js';

/**
 * DPoP for the user's tokens: a proof per token request and per API call,
 * and the nonces servers hand out. @internal
 */
export interface DpopBinding {
  proof(options: { method: string; url: URL; scope: 'token-endpoint' | 'resource'; accessToken?: string | undefined }): Promise<string>;
  /** Remembers a `DPoP-Nonce`; true when it is new. */
  observe(scope: 'token-endpoint' | 'resource', response: Response): boolean;
}

/** Everything the flows of one sign-in client share. @internal */
export interface ClientContext {
  readonly origin: string;
  readonly clientId: string;
  readonly http: HttpOptions;
  readonly discovery: DiscoveryCache;
  readonly jwks: JwksCache;
  readonly clientAuth: ClientAuth;
  readonly redirectUri: string | undefined;
  readonly postLogoutRedirectUri: string | undefined;
  readonly scope: string;
  readonly clockSkewSeconds: number;
  readonly transactionMaxAgeSeconds: number;
  readonly storage: SignInStorage;
  readonly dpop: DpopBinding | undefined;
  readonly now: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A token request outcome: tokens, or the OAuth error Okta sent. @internal */
export type TokenOutcome =
  | { readonly ok: true; readonly tokens: UserTokens }
  | { readonly ok: false; readonly error: OktaSignInError };

/**
 * POSTs one grant to the token endpoint with client authentication and, when
 * configured, a DPoP proof (one retry after `use_dpop_nonce`). A 2xx becomes
 * {@link UserTokens}; an OAuth error comes back as a value for the caller to
 * map (device polling reads `authorization_pending`). @internal
 */
export async function requestTokens(
  ctx: ClientContext,
  grant: Readonly<Record<string, string>>,
  options: { readonly signal?: AbortSignal | undefined; readonly previousRefreshToken?: string | undefined } = {},
): Promise<TokenOutcome> {
  const metadata = await ctx.discovery.get(options.signal);
  const endpoint = metadata.tokenEndpoint;
  for (let nonceRetry = 0; ; nonceRetry++) {
    const response = await send(
      ctx.http,
      async ({ signal }) => {
        const body = new URLSearchParams(grant);
        const headers = new Headers();
        await ctx.clientAuth.apply(endpoint, body, headers);
        if (ctx.dpop !== undefined) headers.set('dpop', await ctx.dpop.proof({ method: 'POST', url: endpoint, scope: 'token-endpoint' }));
        return formPost(endpoint, body, headers, signal);
      },
      options.signal,
    );
    const newNonce = ctx.dpop?.observe('token-endpoint', response) ?? false;
    if (response.ok) {
      return { ok: true, tokens: await readTokenResponse(response, ctx.now(), options.previousRefreshToken) };
    }
    const error = await oauthErrorFromResponse(response, 'token endpoint', 'TOKEN_REQUEST_FAILED', Object.values(grant));
    if (error.error === 'use_dpop_nonce' && newNonce && nonceRetry === 0) continue;
    return { ok: false, error };
  }
}

/**
 * Validates the ID token of a token answer when there is one; when `openid`
 * was granted there must be one. @internal
 */
export async function claimsOf(
  ctx: ClientContext,
  metadata: OrgServerMetadata,
  tokens: UserTokens,
  expect: { nonce?: string | undefined; maxAgeSeconds?: number | undefined; previous?: IdTokenClaims | undefined; requireIdToken: boolean; signal?: AbortSignal | undefined },
): Promise<IdTokenClaims | undefined> {
  if (tokens.idToken === undefined) {
    if (expect.requireIdToken) {
      throw new OktaSignInError('INVALID_TOKEN_RESPONSE', "Okta's token answer has no id_token although the openid scope was requested.");
    }
    return undefined;
  }
  return validateIdToken(tokens.idToken.reveal(), {
    metadata,
    clientId: ctx.clientId,
    jwks: ctx.jwks,
    clockSkewSeconds: ctx.clockSkewSeconds,
    now: ctx.now,
    nonce: expect.nonce,
    maxAgeSeconds: expect.maxAgeSeconds,
    previous: expect.previous,
    signal: expect.signal,
  });
}
