import type { CredentialKind, OktaCredential, OktaTransportOptions, OrgUrl } from '@org/okta-auth-core';
import type { ClientAuthentication } from '../client-auth/client-auth.js';
import type { DpopAlgorithm } from '../dpop/dpop-key.js';
import { DpopSession } from '../dpop/dpop-session.js';
import { ServerClock } from '../internal/server-clock.js';
import { tokenCacheBinding, tokenCacheKey } from '../token-cache/cache-key.js';
import { fleetObtain } from '../token-cache/fleet.js';
import { TokenCache } from '../token-cache/token-cache.js';
import { entryStoreOf, storageTimeoutMs, type OktaStorage } from '../token-cache/storage.js';
import { createMemoryTokenStore, type TokenStore } from '../token-cache/token-store.js';
import { requestToken, type DpopMode } from '../token-endpoint/token-endpoint.js';
import { appAdvice } from './app-advice.js';
import { createTokenCredential } from './token-credential.js';
import type { WebCryptoKeyPair } from '../internal/web-crypto.js';

/** @internal */
export interface ClientCredentialsSetup {
  readonly kind: CredentialKind;
  readonly org: OrgUrl;
  readonly clientAuth: ClientAuthentication;
  readonly scopes: readonly string[];
  readonly dpop: DpopMode;
  readonly dpopAlgorithm?: DpopAlgorithm | undefined;
  readonly dpopKeyPair?: WebCryptoKeyPair | undefined;
  readonly tokenStore?: TokenStore | OktaStorage | undefined;
  readonly transport: OktaTransportOptions;
  readonly now?: (() => number) | undefined;
}

/**
 * The client credentials grant (RFC 6749 §4.4) against the org authorization server, wired to
 * a token cache and a credential. One clock, one DPoP key and one nonce memory per call: never
 * shared with another org or credential.
 * @internal
 */
export function createClientCredentialsCredential(setup: ClientCredentialsSetup): OktaCredential {
  const { org, clientAuth, scopes } = setup;
  const tokenEndpoint = org.resolve('/oauth2/v1/token');
  const clock = new ServerClock(setup.now);
  const dpopSession = setup.dpop === 'off' ? undefined : new DpopSession(org.origin, { algorithm: setup.dpopAlgorithm, keyPair: setup.dpopKeyPair });
  const store = setup.tokenStore === undefined ? createMemoryTokenStore({ maxEntries: 4 }) : entryStoreOf(setup.tokenStore);
  const scope = scopes.join(' ');
  const endpoint = {
    origin: org.origin,
    tokenEndpoint,
    clientAuth,
    dpopSession,
    dpop: setup.dpop,
    clock,
    transport: setup.transport,
  };
  const cache = (async () => {
    const jkt = dpopSession === undefined ? undefined : (await dpopSession.key()).thumbprint;
    const clientBinding = await tokenCacheBinding(clientAuth);
    return new TokenCache({
      store,
      key: tokenCacheKey({ tokenEndpoint: tokenEndpoint.href, clientId: clientAuth.clientId, clientBinding, scopes, dpopJkt: jkt }),
      now: () => clock.localNow(),
      storeTimeoutMs: storageTimeoutMs(setup.tokenStore),
      fleet: fleetObtain,
      logger: setup.transport.logger,
      obtain: async () => {
        const startedAt = clock.localNow();
        const token = await requestToken(endpoint, { grant_type: 'client_credentials', scope });
        const lifetimeMs = token.expiresIn * 1000;
        return {
          accessToken: token.accessToken.reveal(),
          tokenType: token.tokenType,
          // Measured from when the request left: never later than Okta's own expiry.
          expiresAt: startedAt + lifetimeMs,
          lifetimeMs,
          scope: token.scope,
          dpopJkt: token.tokenType === 'DPoP' ? jkt : undefined,
        };
      },
    });
  })();
  cache.catch(() => undefined);
  return createTokenCredential({ kind: setup.kind, origin: org.origin, cache, dpopSession, clock, advice: appAdvice(scopes) });
}
