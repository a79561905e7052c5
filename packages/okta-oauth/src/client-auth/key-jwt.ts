import { signParams } from '../internal/jws.js';
import { addClientAssertion, type AssertionSigner } from './assertion.js';
import { withBinding, type ClientAuth } from './client-auth.js';
import type { ClientSigningKey } from './client-key.js';
import { signingFailure } from './key-algorithm.js';

/**
 * `private_key_jwt` over an assertion signer: a fresh assertion per attempt. `binding` names the
 * key in token cache keys (a signer proves no key to this process: undefined, never shared).
 * @internal
 */
export function assertionAuth(signer: AssertionSigner, binding: () => Promise<string | undefined> = () => Promise.resolve(undefined)): ClientAuth {
  const auth: ClientAuth = {
    method: 'private_key_jwt',
    keyId: signer.kid,
    apply: (request) => addClientAssertion(request, signer),
  };
  return withBinding(auth, binding);
}

/**
 * `private_key_jwt` with a checked key (WebCrypto signs; its thumbprint is the cache binding): what
 * `privateKeyJwt` builds for a key, and the `/service-app` factory for a `CryptoKey`. @internal
 */
export function signingKeyAuth(signingKey: ClientSigningKey): ClientAuth {
  const alg = signingKey.algorithm;
  return assertionAuth(
    {
      alg,
      kid: signingKey.keyId,
      sign: async (data) => {
        const loaded = await signingKey.load();
        try {
          return new Uint8Array(await crypto.subtle.sign(signParams(alg), loaded, data));
        } catch (error) {
          throw signingFailure(alg, error);
        }
      },
    },
    async () => {
      const thumbprint = await signingKey.thumbprint();
      return thumbprint === undefined ? undefined : `jkt:${thumbprint}`;
    },
  );
}
