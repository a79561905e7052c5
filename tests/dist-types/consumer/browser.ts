// A browser project: lib es2023 + DOM, no Node types. DOM's CryptoKey and CryptoKeyPair fit.
import * as oauth from '@org/okta-oauth';

const domPair: CryptoKeyPair = await window.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
export const fromDomTypes: oauth.WebCryptoKeyPair = domPair;
export const domKey: oauth.ClientPrivateKeyInput = domPair.privateKey;
export const storage: oauth.SignInStorage = oauth.sessionStorageStore();
