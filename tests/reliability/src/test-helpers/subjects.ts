import { createOktaFetch, type OktaCredential, type OktaFetch, type OktaLogger, type RetryOptions } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { fillSignInForm } from '@org/okta-test-utils';

type Awaitable<T> = T | Promise<T>;

/** What the subjects need of an org: an in-process emulator, or one in a child process. */
export interface Org {
  readonly url: string;
  createApiToken(opts?: { name?: string }): Awaitable<{ id: string; token: string }>;
  createServiceApp(opts: Parameters<OktaEmulator['createServiceApp']>[0]): Awaitable<ReturnType<OktaEmulator['createServiceApp']>>;
  createOinApp(opts: Parameters<OktaEmulator['createOinApp']>[0]): Awaitable<{ clientId: string; clientSecret: string }>;
  createSignInApp(opts: Parameters<OktaEmulator['createSignInApp']>[0]): Awaitable<ReturnType<OktaEmulator['createSignInApp']>>;
  createUser(opts: Parameters<OktaEmulator['createUser']>[0]): Awaitable<{ id: string; login: string }>;
}
import {
  clientSecretJwt,
  clientSecretPost,
  createMemoryTokenStore,
  createOinAppCredential,
  createServiceAppCredential,
  createSignInClient,
  privateKeyJwt,
  UserTokens,
  type ClientAuth,
  type SignInClient,
  type TokenStore,
  type TokenStoreEntry,
} from '@org/okta-oauth';
import { createSswsCredential } from '@org/okta-ssws';
import { keySentinels } from './leaks.js';
import { createWire, type Wire, type WireOptions } from './wire.js';

/** Every credential type the issue names. */
export const CREDENTIAL_KINDS = ['ssws', 'service-app+dpop', 'service-app', 'oin-app', 'user'] as const;
/** The client authentication methods beyond each kind's default (issue 13): a web sign-in app and an OIN app set to them. */
export const CLIENT_AUTH_KINDS = ['user+client_secret_post', 'user+client_secret_jwt', 'user+private_key_jwt', 'oin-app+client_secret_post'] as const;
export type Kind = (typeof CREDENTIAL_KINDS)[number] | (typeof CLIENT_AUTH_KINDS)[number];
/** The kinds that go to the token endpoint. */
export const TOKEN_KINDS = CREDENTIAL_KINDS.filter((k) => k !== 'ssws');

export const LOGIN = 'ada.admin@example.com';
export const PASSWORD = 'Correct-Horse-9';
export const REDIRECT_URI = 'http://127.0.0.1:5173/callback';
export const SCOPES = ['okta.users.read'];

export interface Transport {
  readonly retry?: RetryOptions | false;
  readonly timeoutMs?: number;
  readonly logger?: OktaLogger;
}

/** A store that records every write, to check nothing half-written or erroneous is ever cached. */
export interface RecordingStore extends TokenStore {
  readonly writes: TokenStoreEntry[];
}

export function recordingStore(): RecordingStore {
  const inner = createMemoryTokenStore();
  const writes: TokenStoreEntry[] = [];
  return {
    writes,
    get: (key) => inner.get(key),
    set: (key, entry) => {
      writes.push(entry);
      return inner.set(key, entry);
    },
    delete: (key) => inner.delete(key),
  };
}

export interface Subject {
  readonly kind: Kind;
  readonly credential: OktaCredential;
  /** The fetch wrapper, with the same transport options as the credential. */
  readonly okta: OktaFetch;
  readonly wire: Wire;
  /** For client-credentials kinds: the token store. */
  readonly store: RecordingStore | undefined;
  /** Secrets the test itself knows (keys, API tokens, client secrets, user password). */
  readonly known: string[];
  /** For `user`: the sign-in client (revocation, introspection, device sign-in). */
  readonly client?: SignInClient | undefined;
}

export interface SubjectOptions extends Transport {
  readonly wire?: WireOptions;
  /** For `user`: start with an expired access token, so the first call refreshes. */
  readonly expired?: boolean;
  /** Share one store between several credentials (soak). */
  readonly store?: RecordingStore;
  /** For `user`: the ID token clock tolerance. */
  readonly clockSkewSeconds?: number;
  /** For `user`: renew this long before expiry (default 60 s). */
  readonly renewBeforeSeconds?: number;
}

/** Creates the admin user the `user` kind signs in as (once per org). */
export async function ensureAdmin(org: Org): Promise<void> {
  try {
    await org.createUser({ login: LOGIN, password: PASSWORD, admin: true, firstName: 'Ada', lastName: 'Admin' });
  } catch {
    // already there
  }
}

/** Signs the admin in through a sign-in client; returns the tokens as plain JSON. */
export async function signInUser(client: SignInClient): Promise<UserTokens> {
  const { url, transaction } = await client.startSignIn();
  const callback = await fillSignInForm(url, LOGIN, PASSWORD);
  const { tokens } = await client.finishSignIn(callback, transaction);
  return tokens;
}

/** A credential of `kind` on `org`, with a recording wire and the given transport options. */
export async function subject(org: Org, kind: Kind, options: SubjectOptions = {}): Promise<Subject> {
  const wire = createWire(options.wire);
  const transport = {
    fetch: wire.fetch,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
  const known: string[] = [];
  let credential: OktaCredential;
  let store: RecordingStore | undefined;
  let signInClient: SignInClient | undefined;
  switch (kind) {
    case 'ssws': {
      const { token } = await org.createApiToken({ name: 'reliability' });
      known.push(token);
      credential = createSswsCredential({ orgUrl: org.url, token, allowInsecureLoopback: true });
      break;
    }
    case 'service-app+dpop':
    case 'service-app': {
      const dpop = kind === 'service-app+dpop';
      const app = await org.createServiceApp({ keyType: 'EC', requireDpop: dpop, scopes: SCOPES });
      known.push(...keySentinels(app.privateKeyPem, app.privateJwk));
      store = options.store ?? recordingStore();
      credential = createServiceAppCredential({
        orgUrl: org.url,
        clientId: app.clientId,
        privateKey: app.privateKeyPem,
        keyId: app.keyId,
        scopes: SCOPES,
        dpop: dpop ? 'required' : 'off',
        tokenStore: store,
        allowInsecureLoopback: true,
        ...transport,
      });
      break;
    }
    case 'oin-app':
    case 'oin-app+client_secret_post': {
      const post = kind === 'oin-app+client_secret_post';
      const app = await org.createOinApp({ scopes: SCOPES, ...(post ? { tokenEndpointAuthMethod: 'client_secret_post' as const } : {}) });
      known.push(app.clientSecret);
      store = options.store ?? recordingStore();
      credential = createOinAppCredential({
        orgUrl: org.url,
        clientId: app.clientId,
        ...(post ? { clientAuth: clientSecretPost(app.clientSecret) } : { clientSecret: app.clientSecret }),
        scopes: SCOPES,
        tokenStore: store,
        allowInsecureLoopback: true,
        ...transport,
      });
      break;
    }
    case 'user':
    case 'user+client_secret_post':
    case 'user+client_secret_jwt':
    case 'user+private_key_jwt': {
      await ensureAdmin(org);
      known.push(PASSWORD);
      const method = kind === 'user' ? undefined : (kind.slice('user+'.length) as 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt');
      const app = await org.createSignInApp({ type: 'web', redirectUris: [REDIRECT_URI], scopes: SCOPES, ...(method === undefined ? {} : { tokenEndpointAuthMethod: method }) });
      if (app.clientSecret !== undefined) known.push(app.clientSecret);
      if (app.privateKeyPem !== undefined && app.privateJwk !== undefined) known.push(...keySentinels(app.privateKeyPem, app.privateJwk));
      const auth: Record<string, () => ClientAuth> = {
        client_secret_post: () => clientSecretPost(app.clientSecret ?? ''),
        client_secret_jwt: () => clientSecretJwt(app.clientSecret ?? ''),
        private_key_jwt: () => privateKeyJwt(app.privateKeyPem ?? '', { keyId: app.keyId }),
      };
      const clientOptions = {
        orgUrl: org.url,
        clientId: app.clientId,
        ...(method !== undefined ? { clientAuth: auth[method]!() } : app.clientSecret === undefined ? {} : { clientSecret: app.clientSecret }),
        redirectUri: REDIRECT_URI,
        scopes: ['openid', 'profile', 'offline_access', ...SCOPES],
        allowInsecureLoopback: true,
      };
      // Sign in with default transport options (the org's first ID token is signed with a new key),
      // then use a client with the test's options for everything after.
      let tokens = await signInUser(createSignInClient({ ...clientOptions, fetch: wire.fetch }));
      const client = createSignInClient({
        ...clientOptions,
        ...transport,
        ...(options.clockSkewSeconds === undefined ? {} : { clockSkewSeconds: options.clockSkewSeconds }),
      });
      if (options.expired === true) tokens = UserTokens.fromStorable({ ...tokens.toStorable(), expiresAt: Date.now() - 1000 });
      signInClient = client;
      credential = client.credential(tokens, options.renewBeforeSeconds === undefined ? {} : { renewBeforeSeconds: options.renewBeforeSeconds });
      break;
    }
  }
  const okta = createOktaFetch({ credential, ...transport });
  return { kind, credential, okta, wire, store, known, client: signInClient };
}
