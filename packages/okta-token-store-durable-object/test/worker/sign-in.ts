/**
 * A server-side web app's user sign-in on the Worker harness (worker/harness.ts), as a Worker app
 * does it over the object: each request makes its sign-in client with the Durable Object storage
 * (sign-in transactions there, found by `state`); a user's credential, kept at module scope by the
 * test's id (an app's session cache), stores its tokens in the object under the session's key.
 * With `dpop: 'shared'`, DPoP-bound tokens under the key the object holds (`loadSharedDpopKeyPair`);
 * `'own'`, under a key of this request's client. Answers JSON: a step's result, or `{ error: code }`;
 * tokens only as their SHA-256, or whether Okta still holds them active.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { sha256Base64url } from '@org/okta-auth-core/internal';
import { createSignInClient, type UserCredential } from '@org/okta-oauth';
import { createDurableObjectTokenStorage, loadSharedDpopKeyPair, type DurableObjectNamespaceLike } from '../../src/index.js';

type Body = Record<string, unknown> & { name: string; orgUrl: string; clientId: string; clientSecret: string; redirectUri: string; storageKey: string; id: string; dpop?: 'shared' | 'own'; maxWaitMs?: number; leaseTtlMs?: number };

/**
 * The bound of a call to the object that answers (`timeoutMs`): one a loaded machine's workerd meets, not the default 1 s
 * (a call past it goes on without the object: a token request, or a stored value, the test does not count).
 */
export const answeredTimeoutMs = 30_000;

/** Users' credentials in this isolate, by the test's id. */
const credentials = new Map<string, UserCredential>();
/** What Okta's refresh grants gave this isolate's clients, read off their fetch (until `/user/obtained` reads them). */
const obtained: { access_token: string; refresh_token: string }[] = [];

/** The isolate's fetch, keeping each refresh grant's answer. */
async function recording(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const refresh = request.method === 'POST' && new URLSearchParams(await request.clone().text()).get('grant_type') === 'refresh_token';
  const response = await fetch(request);
  if (refresh && response.ok) obtained.push(await response.clone().json());
  return response;
}

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (result) => ({ result: result ?? null }),
    (error: unknown) => ({ error: (error as { code?: string }).code ?? String(error) }),
  );

async function client(namespace: DurableObjectNamespaceLike, body: Body) {
  const storage = createDurableObjectTokenStorage({ namespace, objectName: body.name, maxWaitMs: body.maxWaitMs, leaseTtlMs: body.leaseTtlMs, timeoutMs: answeredTimeoutMs });
  const { orgUrl, clientId, clientSecret, redirectUri } = body;
  const dpopKeyPair = body.dpop === 'shared' ? await loadSharedDpopKeyPair({ namespace, objectName: body.name, name: clientId, timeoutMs: answeredTimeoutMs }) : undefined;
  const dpop = body.dpop === undefined ? {} : { dpop: 'required' as const, dpopKeyPair };
  const scopes = ['openid', 'profile', 'offline_access', 'okta.users.read.self'];
  return { storage, client: createSignInClient({ orgUrl, clientId, clientSecret, redirectUri, scopes, storage, allowInsecureLoopback: true, fetch: recording, ...dpop }) };
}

/** The routes under `/user/`: start, finish (the transaction looked up in the object), restore, call, sign-out, obtained. */
export async function userRoute(path: string, body: Body, namespace: DurableObjectNamespaceLike): Promise<unknown> {
  const { storage, client: signIn } = await client(namespace, body);
  switch (path) {
    case '/user/start':
      return { url: (await signIn.startSignIn()).url.href };
    case '/user/finish':
      // No transaction passed: finishSignIn finds it in the object by the callback's state.
      return outcome(
        signIn.finishSignIn(body.callback as string).then(async ({ tokens }) => {
          const credential = signIn.credential(tokens, { storage, storageKey: body.storageKey });
          await credential.getAccessToken(); // stored in the object before the callback answers
          credentials.set(body.id, credential);
          return 'signed in';
        }),
      );
    case '/user/restore':
      return outcome(
        signIn.restoreCredential({ storage, storageKey: body.storageKey }).then((credential) => {
          if (credential !== undefined) credentials.set(body.id, credential);
          return credential !== undefined;
        }),
      );
    case '/user/call': {
      const credential = credentials.get(body.id)!;
      return outcome(
        createOktaFetch({ credential })('/api/v1/users/me').then(async (response) => ({ status: response.status, accessToken: await sha256Base64url(credential.tokens!.accessToken.reveal()) })),
      );
    }
    case '/user/sign-out':
      return outcome(credentials.get(body.id)!.signOut().then(({ revoked }) => revoked));
    case '/user/obtained':
      // Whether each token the refresh grants gave is still active at Okta (Okta's introspection).
      return outcome(Promise.all(obtained.splice(0).map(async (answer) => ({ access: (await signIn.introspect(answer.access_token)).active, refresh: (await signIn.introspect(answer.refresh_token)).active }))));
    default:
      return { error: 'no such route' };
  }
}
