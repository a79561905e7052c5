import type { OktaLogger } from '@org/okta-auth-core';
import { emit, failedCall, sha256Base64url } from '@org/okta-auth-core/internal';
import { generateDpopKeyPair, importDpopKeyPair, type WebCryptoKeyPair } from '@org/okta-oauth/service-app';
import { OktaDurableObjectStoreError } from './errors.js';
import { callObject } from './object-call.js';
import { checkObjectOptions, maxDurationMs, ms, type DurableObjectNamespaceLike } from './options.js';

/**
 * Options of {@link loadSharedDpopKeyPair}.
 * @example
 * ```ts
 * declare const env: { OKTA_TOKENS: DurableObjectNamespaceLike; OKTA_CLIENT_CLIENTID: string };
 * const options: SharedDpopKeyOptions = { namespace: env.OKTA_TOKENS, objectName: 'tenant-a', name: env.OKTA_CLIENT_CLIENTID };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449
 */
export interface SharedDpopKeyOptions {
  /** The namespace binding of {@link OktaTokenStoreObject} (`env.OKTA_TOKENS`), the token storage's. */
  readonly namespace: DurableObjectNamespaceLike;
  /** Which object of the namespace holds the key (`idFromName`): the token storage's `objectName`, to keep it beside the tokens. @default 'okta-token-store' */
  readonly objectName?: string | undefined;
  /** Which shared key: one per app (its client id, say), 1 to 1024 characters, as `@org/okta-token-store-redis`'s `name`. Hashed before it reaches the object. */
  readonly name: string;
  /** How long the shared key lives before a new one is made, in ms (up to a year). @default 30 days */
  readonly ttlMs?: number | undefined;
  /** Bound on the call to the object, in ms (1 to 60,000): past it this isolate makes a key of its own. @default 1000 */
  readonly timeoutMs?: number | undefined;
  /** Receives a `token-store` event when the object fails and a per-isolate key is used instead (`error`), or when the stored key is not a key and is replaced (`corrupt`). */
  readonly logger?: OktaLogger | undefined;
}

/** What the wire key hashes: a prefix no token storage key has, then the app's name. */
const keyPrefix = 'okta-token-store-durable-object/dpop-key/v1:';

/** The stored private JWK imported (non-extractable), or `undefined` when it is not one. */
async function imported(stored: string): Promise<WebCryptoKeyPair | undefined> {
  try {
    return await importDpopKeyPair(JSON.parse(stored) as JsonWebKey, 'ES256');
  } catch {
    return undefined;
  }
}

/**
 * Opt-in: one DPoP key pair (ES256) for every isolate of your Worker, so one DPoP-bound token (one
 * grant, one nonce handshake) serves them all through {@link createDurableObjectTokenStorage}. The
 * first isolate's key is stored in the object, only if none is (`addIfAbsent`, one step of the
 * object: of isolates starting at once, one key wins and every one takes it), and each isolate
 * imports it non-extractable. Pass the result as `dpopKeyPair` to `createServiceAppCredential`.
 * When the object fails or does not answer within `timeoutMs`, it returns a fresh per-isolate key
 * (the default, which shares nothing) and logs a `token-store` `error` event.
 *
 * Sharing the key means code that reaches the object (any Worker of your account bound to its
 * namespace) can use the tokens: the trade-off against one token per isolate; see the README.
 *
 * @example
 * ```ts
 * import { createServiceAppCredential, type ServiceAppCredentialOptions } from '@org/okta-oauth';
 * import { createDurableObjectTokenStorage, loadSharedDpopKeyPair, type DurableObjectNamespaceLike } from '@org/okta-token-store-durable-object';
 *
 * declare const env: { OKTA_TOKENS: DurableObjectNamespaceLike };
 * declare const options: ServiceAppCredentialOptions;
 * // In a request (a Worker's env comes with it; workerd allows no I/O at module scope), once per isolate.
 * // The key beside the tokens: the same objectName for both.
 * const objectName = 'tenant-a';
 * const tokenStore = createDurableObjectTokenStorage({ namespace: env.OKTA_TOKENS, objectName });
 * const dpopKeyPair = await loadSharedDpopKeyPair({ namespace: env.OKTA_TOKENS, objectName, name: options.clientId });
 * const credential = createServiceAppCredential({ ...options, dpop: 'required', dpopKeyPair, tokenStore });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-2
 */
export async function loadSharedDpopKeyPair(options: SharedDpopKeyOptions): Promise<WebCryptoKeyPair> {
  const usage = 'loadSharedDpopKeyPair needs { namespace, name }: the namespace binding of OktaTokenStoreObject (env.OKTA_TOKENS) and a name per app (its client id, say).';
  const { namespace, objectName, timeoutMs, given } = checkObjectOptions(options, usage);
  const { name } = given;
  if (typeof name !== 'string' || name.length === 0 || name.length > 1024) throw new OktaDurableObjectStoreError('INVALID_CONFIG', `name must be a string of 1 to 1024 characters: one per app (its client id, say). ${usage}`);
  const ttlMs = ms(given.ttlMs, 30 * 24 * 3_600_000, maxDurationMs, 'ttlMs');
  const logger = options.logger;
  try {
    const k = await sha256Base64url(`${keyPrefix}${name}`);
    const id = namespace.idFromName(objectName);
    const call = (operation: 'addIfAbsent' | 'replaceIfEqual' | 'get', body: Record<string, unknown>) => callObject(namespace, id, timeoutMs, operation, body);
    const generated = await generateDpopKeyPair('ES256', { extractable: true });
    const jwk = await crypto.subtle.exportKey('jwk', generated.privateKey);
    const ours = JSON.stringify(jwk);
    const own = () => importDpopKeyPair(jwk, 'ES256');
    const e = Date.now() + ttlMs;
    const { value } = await call('addIfAbsent', { k, v: ours, e });
    if (typeof value !== 'string') throw new OktaDurableObjectStoreError('STORE_UNAVAILABLE', "The token store object's answer to addIfAbsent is not its protocol's.");
    if (value === ours) return await own();
    const theirs = await imported(value);
    if (theirs !== undefined) return theirs;
    // Stored, but not a key (written by someone else): said, and replaced only while it still holds it,
    // so of isolates replacing it at once one key wins and the others take it.
    emit(logger, { type: 'token-store', operation: 'dpop-key', outcome: 'corrupt' });
    if ((await call('replaceIfEqual', { k, x: value, v: ours, e })).done === true) return await own();
    const { value: winner } = await call('get', { k });
    return (typeof winner === 'string' ? await imported(winner) : undefined) ?? (await own());
  } catch (error) {
    // Nothing of the failure but its code and status is carried: its key, or the object's answer, may be in it.
    emit(logger, { type: 'token-store', operation: 'dpop-key', ...failedCall({ reason: 'error', error }) });
    return generateDpopKeyPair('ES256');
  }
}
