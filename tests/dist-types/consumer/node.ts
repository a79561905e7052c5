// A Node.js project: lib es2023, types ["node"], no DOM. Node's own WebCrypto types fit too.
import { webcrypto } from 'node:crypto';
import * as emulator from '@org/okta-emulator';
import * as oauth from '@org/okta-oauth';

export const emulatorEntry = emulator;
const nodePair: webcrypto.CryptoKeyPair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign', 'verify']);
export const fromNodeTypes: oauth.WebCryptoKeyPair = nodePair;
export const nodeKey: oauth.ClientPrivateKeyInput = nodePair.privateKey;
