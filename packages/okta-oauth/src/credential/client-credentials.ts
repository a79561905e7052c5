import type { CredentialKind, OktaCredential, OktaTransportOptions, OrgUrl } from '@org/okta-auth-core';
import type { ClientAuthentication } from '../client-auth/client-auth.js';
import type { DpopSession } from '../dpop/dpop-session.js';
import { ServerClock } from '../internal/server-clock.js';
import { tokenCacheBinding, tokenCacheKey } from '../token-cache/cache-key.js';
import { fleetObtain } from '../token-cache/fleet.js';
import { isEntry } from '../token-cache/store-entry.js';
import { TokenCache } from '../token-cache/token-cache.js';
import { entryStoreOf, storageTimeoutMs, type OktaStorage } from '../token-cache/storage.js';
import { MemoryTokenStore, type TokenStore, type TokenStoreEntry } from '../token-cache/token-store.js';
import { requestToken, type TokenEndpointOptions } from '../token-endpoint/token-endpoint.js';
import type { OAuthHints } from '../token-endpoint/token-error.js';
import { appAdvice, type ScopeOwner } from './app-advice.js';
import type { OinAppCredential, RevokeOptions, ServiceAppCredential } from './revoke-app-token.js';
import { createTokenCredential } from './token-credential.js';

/** @internal */
export interface ClientCredentialsSetup {
  readonly kind: CredentialKind;
  readonly org: OrgUrl;
  readonly clientAuth: ClientAuthentication;
  readonly scopes: readonly string[];
  /** The DPoP part (`dpopPart`), given by the service app factory; none: DPoP is off (OIN apps). */
  readonly dpop: DpopSession | undefined;
  /** The app type's refusal hints (`serviceAppHints`, `oinAppHints`): only what that app type can be told. */
  readonly hints: OAuthHints;
  /** Who grants the app type's scopes and what its role allows (`serviceAppOwner`, `oinAppOwner`): its call advice's wording. */
  readonly owner: ScopeOwner;
  readonly tokenStore?: TokenStore | OktaStorage | undefined;
  readonly transport: OktaTransportOptions;
  readonly now?: (() => number) | undefined;
}

/**
 * What revoking an app credential's token needs: its token endpoint's parts (the org origin, the client's
 * authentication, Okta's clock, the transport, the app type's hints) and its token cache. @internal
 */
export interface AppCredentialParts {
  readonly endpoint: TokenEndpointOptions & { readonly hints: OAuthHints };
  readonly cache: Promise<TokenCache>;
}

/** The parts of every credential `clientCredentialsParts` made, for `revoke(credential)`. */
const apps = new WeakMap<object, AppCredentialParts>();

/** The parts of a credential `clientCredentialsParts` made; `undefined` for anything else. @internal */
export const appPartsOf = (credential: unknown): AppCredentialParts | undefined => (typeof credential === 'object' && credential !== null ? apps.get(credential) : undefined);

/**
 * The client credentials grant (RFC 6749 §4.4) against the org authorization server, wired to
 * a token cache and a credential. One clock per call, and the DPoP part (one key, one nonce
 * memory) the factory made for this credential: never shared with another org or credential.
 * Revocation is not here: `revoke(credential)` reaches the credential's parts through {@link appPartsOf}, and
 * the root entry's factories add `credential.revoke()` ({@link withRevoke}), so a bundle that never revokes does
 * not ship revocation.
 * @internal
 */
export function clientCredentialsParts(setup: ClientCredentialsSetup): OktaCredential {
  const { org, clientAuth, dpop, scopes } = setup;
  const tokenEndpoint = org.resolve('/oauth2/v1/token');
  const now = setup.now ?? Date.now;
  // Service apps sign assertions (and DPoP proofs): Okta's clock, as for OIN apps.
  const clock = new ServerClock(now);
  const store = setup.tokenStore === undefined ? new MemoryTokenStore(4) : entryStoreOf(setup.tokenStore);
  const scope = scopes.join(' ');
  const endpoint = {
    origin: org.origin,
    tokenEndpoint,
    clientAuth,
    dpop,
    clock,
    transport: setup.transport,
    hints: setup.hints,
  };
  const cache = (async () => {
    const jkt = dpop === undefined ? undefined : (await dpop.key()).thumbprint;
    const clientBinding = await tokenCacheBinding(clientAuth);
    const key = tokenCacheKey({ tokenEndpoint: tokenEndpoint.href, clientId: clientAuth.clientId, clientBinding, scopes, dpopJkt: jkt });
    return new TokenCache({
      store,
      key,
      // `required` takes no Bearer token: its own flights, never an `auto` credential's of the same key (and DPoP key pair).
      flightKey: dpop?.mode === 'required' ? `${key}|required` : undefined,
      // Expiries on Okta's clock (`clock.orgTime`): a token another process stored is judged on the clock it was written on.
      now: () => clock.orgTime(now()),
      // A stored token this credential could not have obtained is a miss: a Bearer one when DPoP is
      // `required` (a store shared with an `auto` credential of the same key: no silent downgrade),
      // a DPoP-bound one without DPoP.
      isEntry: (value): value is TokenStoreEntry => isEntry(value) && (value.tokenType === 'DPoP' ? dpop !== undefined : dpop?.mode !== 'required'),
      storeTimeoutMs: storageTimeoutMs(setup.tokenStore),
      fleet: fleetObtain,
      logger: setup.transport.logger,
      obtain: async (_, within, fetch) => {
        const startedAt = now();
        const token = await requestToken({ ...endpoint, within, fetch }, { grant_type: 'client_credentials', scope });
        const lifetimeMs = token.expiresIn * 1000;
        return {
          accessToken: token.accessToken.reveal(),
          tokenType: token.tokenType,
          // Measured from when the request left, on Okta's clock (the offset its answer's Date set): never later than Okta's own expiry.
          expiresAt: clock.orgTime(startedAt) + lifetimeMs,
          lifetimeMs,
          scope: token.scope,
          dpopJkt: token.tokenType === 'DPoP' ? jkt : undefined,
        };
      },
    });
  })();
  cache.catch(() => undefined);
  // The token endpoint's origin, DPoP part and clock, and the transport (checkTransport's pick: transport options
  // only, none of those names): the credential carries the org's limit, retry, timeout and logger (carriedTransport).
  const credential = createTokenCredential({ ...endpoint, ...setup.transport, kind: setup.kind, cache, advice: appAdvice(scopes, setup.owner) });
  apps.set(credential, { endpoint, cache });
  return credential;
}

/**
 * `credential` (of {@link clientCredentialsParts}) with `revoke()`, which is `revoke(credential)`: the root entry's
 * service app factory and `createOinAppCredential` give it; `@org/okta-oauth/service-app`'s credential has none. @internal
 */
export function withRevoke(credential: OktaCredential, revoke: (credential: OktaCredential, options?: RevokeOptions) => Promise<void>): OinAppCredential & ServiceAppCredential {
  const made: OinAppCredential & ServiceAppCredential = Object.freeze({ ...credential, revoke: (options?: RevokeOptions) => revoke(made, options) });
  const parts = apps.get(credential);
  if (parts !== undefined) apps.set(made, parts);
  return made;
}
