import { base64url, refusedThenable } from '@org/okta-auth-core/internal';
import { configError } from '../errors.js';
import type { ClockMaker } from '../internal/clock.js';

/**
 * The client authentication methods Okta documents (`token_endpoint_auth_method` of an app).
 *
 * @example
 * ```ts
 * const method: ClientAuthMethod = clientSecretPost(process.env.OKTA_CLIENT_SECRET!).method; // 'client_secret_post'
 * ```
 * @see https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3
 */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt' | 'none';

/**
 * One request attempt a {@link ClientAuth} authenticates: it may add to `body` and `headers`.
 * A retried request is a new attempt (with a new assertion), never a copy.
 *
 * @example
 * ```ts
 * const custom: ClientAuth = {
 *   method: 'client_secret_post',
 *   apply({ clientId, body }: ClientAuthRequest) {
 *     body.set('client_id', clientId);
 *     body.set('client_secret', process.env.OKTA_CLIENT_SECRET!);
 *   },
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
export interface ClientAuthRequest {
  /** The app's client id (given to the credential or sign-in client, not to the method). */
  readonly clientId: string;
  /** The endpoint invoked (token, revocation, introspection, device authorization): an assertion's `aud`. */
  readonly endpoint: URL;
  /** The form body of the request (`grant_type`, `scope`, …). */
  readonly body: URLSearchParams;
  /** The request headers. */
  readonly headers: Headers;
  /**
   * The current time in seconds, corrected by the clock difference seen in Okta's `Date` answers.
   * The `createSignInClient` of `@org/okta-oauth/sign-in` (which has no DPoP) carries that
   * correction only with `clientSecretJwt` and `privateKeyJwt`, the methods that sign with the
   * time: with any other (a `ClientAuth` of your own included) this is the local time there.
   */
  readonly nowSeconds: number;
  /** Aborts when the caller aborts or the attempt's `timeoutMs` passes: give it to a remote signer. */
  readonly signal: AbortSignal | undefined;
}

/**
 * How a client proves who it is to Okta's token, revocation, introspection and device
 * authorization endpoints: one of the factories ({@link clientSecretBasic},
 * {@link clientSecretPost}, {@link clientSecretJwt}, {@link privateKeyJwt},
 * {@link noClientAuth}) or your own object. `apply` runs once per attempt.
 *
 * Core scrubs what each attempt carries from every error and log event: the `Authorization`
 * header, and the `client_secret` and `client_assertion` form fields. A method that sends or
 * holds another secret lists it in `secrets()`.
 *
 * @example
 * ```ts
 * import { createOinAppCredential, clientSecretPost } from '@org/okta-oauth';
 *
 * const credential = createOinAppCredential({
 *   orgUrl: 'https://customer.okta.com',
 *   clientId: '0oa9xyz',
 *   clientAuth: clientSecretPost(process.env.OKTA_CLIENT_SECRET!),
 *   scopes: ['okta.users.read'],
 * });
 * ```
 * @see https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/
 * @see https://www.rfc-editor.org/rfc/rfc7523
 */
export interface ClientAuth {
  /** The method: must be the app's `token_endpoint_auth_method` in Okta. */
  readonly method: ClientAuthMethod;
  /** The `kid` of the key (private_key_jwt), for error hints. */
  readonly keyId?: string | undefined;
  /** Adds the client's credentials to one attempt. An error it throws reaches the caller as itself. */
  apply(request: ClientAuthRequest): void | Promise<void>;
  /** Secret values this method holds or sends that core would not find in the request itself: an array of at most 64, returned synchronously (else `INVALID_CONFIG`). */
  secrets?(): readonly string[];
}

const methods: readonly string[] = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'];

/** A {@link ClientAuth} bound to its app's client id, as the token endpoint uses it. @internal */
export interface ClientAuthentication {
  readonly clientId: string;
  readonly method: ClientAuthMethod;
  readonly keyId: string | undefined;
  apply(parts: Omit<ClientAuthRequest, 'clientId'>): Promise<void>;
  secrets(): readonly string[];
  /**
   * A stable value that proves nothing but names this client authentication, for token cache
   * keys: a keyed hash of the secret, or the public key's thumbprint. Never the secret itself.
   * `undefined` when none can be derived (then the cache key is unique to this credential).
   */
  binding?(): Promise<string | undefined>;
  /** The server clock `privateKeyJwt` and `clientSecretJwt` bring (`withServerClock`): how a `/sign-in` client gets one. */
  readonly serverClock?: ClockMaker | undefined;
}

/**
 * The cache bindings of the library's own factories, by ClientAuth object: not part of the public
 * interface, so a hand-made ClientAuth cannot claim another's cached tokens (it gets a binding of
 * its own, and never shares a store's tokens).
 */
const bindings = new WeakMap<ClientAuth, (clientId: string) => Promise<string | undefined>>();

/** The server clock the library's JWT methods bring, by ClientAuth object. */
const serverClocks = new WeakMap<ClientAuth, ClockMaker>();

/** Records that a factory's ClientAuth signs with the time, and the clock it needs. @internal */
export function withServerClock<T extends ClientAuth>(auth: T, make: ClockMaker): T {
  serverClocks.set(auth, make);
  return auth;
}

/** Records how a factory's ClientAuth names itself in token cache keys. @internal */
export function withBinding<T extends ClientAuth>(auth: T, binding: (clientId: string) => Promise<string | undefined>): T {
  bindings.set(auth, binding);
  return auth;
}

/**
 * HMAC-SHA-256 keyed with the client secret over a fixed label and the client id, base64url:
 * stable across processes (so a shared store still shares), useless for recovering the secret.
 * @internal
 */
export async function secretBinding(clientId: string, secret: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`okta-oauth token cache binding v1|${clientId}`));
  return base64url(new Uint8Array(mac));
}

/** The methods Okta allows for one app type, and what to say when another is given. @internal */
export interface AppAuthRule {
  readonly methods: readonly ClientAuthMethod[];
  readonly why: string;
}

/** API service apps: `private_key_jwt` only. @internal */
export const serviceAppAuth: AppAuthRule = {
  methods: ['private_key_jwt'],
  why: 'Okta accepts only private_key_jwt for API service apps requesting Okta scopes ("The client ID and secret method isn\'t allowed"): use privateKeyJwt(key) or privateKeyJwt({ alg, kid, sign })',
};

/** OIN API service integrations: the client secret Okta generated for the customer org. @internal */
export const oinAppAuth: AppAuthRule = {
  methods: ['client_secret_basic', 'client_secret_post'],
  why: 'an OIN API service integration authenticates with the client secret Okta generated for the customer org: use clientSecretBasic(secret) or clientSecretPost(secret)',
};

/** The longest `secrets()` list taken: a handful of secrets and keys in practice; a longer one is `INVALID_CONFIG`. @internal */
export const maxSecretsListed = 64;

/**
 * Checks a {@link ClientAuth} for an app type (its rule; none: sign-in apps, any method) and binds
 * it to the client id: `INVALID_CONFIG` naming the fix for a method Okta does not allow there, or
 * an object that is not a ClientAuth. The rules are the callers' so a sign-in bundle does not
 * carry the service and OIN app messages.
 * @internal
 */
export function bindClientAuth(clientId: string, auth: ClientAuth, rule?: AppAuthRule): ClientAuthentication {
  if (typeof auth !== 'object' || (auth as unknown) === null || typeof auth.apply !== 'function' || !methods.includes(auth.method)) {
    throw configError(`clientAuth must be a ClientAuth (clientSecretBasic, clientSecretPost, clientSecretJwt, privateKeyJwt, noClientAuth or an object with method and apply), with method one of ${methods.join(', ')}.`);
  }
  if (rule !== undefined && !rule.methods.includes(auth.method)) throw configError(`clientAuth uses ${auth.method}, but ${rule.why}.`);
  if (auth.secrets !== undefined && typeof auth.secrets !== 'function') throw configError('clientAuth.secrets must be a function returning the secret values to scrub.');
  const keyId = typeof auth.keyId === 'string' ? auth.keyId : undefined;
  const binding = bindings.get(auth);
  return {
    clientId,
    method: auth.method,
    keyId,
    apply: async (parts) => {
      await auth.apply({ ...parts, clientId });
    },
    secrets: () => {
      if (auth.secrets === undefined) return [];
      // An error it throws reaches the caller as itself; a Promise (its rejection handled) or no array is ours to name.
      const list: unknown = auth.secrets();
      // A huge (sparse) array would hold the event loop in the filter, on every request.
      if (refusedThenable(list) || !Array.isArray(list) || list.length > maxSecretsListed) {
        throw configError(`clientAuth.secrets() must return an array of at most ${maxSecretsListed} strings, synchronously.`);
      }
      return list.filter((value): value is string => typeof value === 'string' && value !== '');
    },
    binding: () => (binding === undefined ? Promise.resolve(undefined) : binding(clientId)),
    serverClock: serverClocks.get(auth),
  };
}
