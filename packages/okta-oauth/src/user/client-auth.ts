import { Secret } from '@org/okta-auth-core';
import {
  clientSecretBasic,
  noClientAuthentication,
  privateKeyJwt,
  type ClientAuthentication,
} from '../client-auth/client-authentication.js';
import { prepareClientKey, type ClientPrivateKeyInput } from '../client-auth/client-key.js';
import { OktaSignInError } from './errors.js';

/**
 * Picks the client authentication of a sign-in app, on the package's shared
 * client-auth modules: none (public client: SPA, CLI, native), a client
 * secret (`client_secret_basic`), or a private key (`private_key_jwt`, a
 * fresh assertion per attempt whose `aud` is the endpoint invoked).
 * @internal
 */
export function createClientAuth(options: {
  readonly clientId: string;
  readonly clientSecret?: string | Secret | undefined;
  readonly privateKey?: ClientPrivateKeyInput | undefined;
  readonly keyId?: string | undefined;
}): ClientAuthentication {
  const { clientId } = options;
  if (options.clientSecret !== undefined && options.privateKey !== undefined) {
    throw new OktaSignInError('INVALID_CONFIG', 'Pass clientSecret or privateKey, not both.');
  }
  if (options.clientSecret !== undefined) {
    const secret = options.clientSecret instanceof Secret ? options.clientSecret : new Secret(options.clientSecret);
    if (typeof secret.reveal() !== 'string' || secret.reveal().trim() === '') {
      throw new OktaSignInError('INVALID_CONFIG', 'clientSecret is empty.');
    }
    return clientSecretBasic(clientId, secret);
  }
  if (options.privateKey !== undefined) return privateKeyJwt(clientId, prepareClientKey(options.privateKey, { keyId: options.keyId }));
  if (options.keyId !== undefined) throw new OktaSignInError('INVALID_CONFIG', 'keyId is only for privateKey.');
  return noClientAuthentication(clientId);
}
