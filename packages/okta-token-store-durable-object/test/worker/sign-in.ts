/**
 * A server-side web app's user sign-in on the Worker harness (worker/harness.ts), as a Worker app
 * does it over the object: each request makes its sign-in client with the Durable Object storage
 * (sign-in transactions there, found by `state`); a user's credential, kept at module scope by the
 * test's id (an app's session cache), stores its tokens in the object under the session's key.
 * Answers JSON: a step's result, or `{ error: code }`; tokens only as their SHA-256.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { sha256Base64url } from '@org/okta-auth-core/internal';
import { createSignInClient, type UserCredential } from '@org/okta-oauth';
import { createDurableObjectTokenStorage, type DurableObjectNamespaceLike } from '../../src/index.js';

type Body = Record<string, unknown> & { name: string; orgUrl: string; clientId: string; clientSecret: string; redirectUri: string; storageKey: string; id: string };

/** Users' credentials in this isolate, by the test's id. */
const credentials = new Map<string, UserCredential>();

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (result) => ({ result: result ?? null }),
    (error: unknown) => ({ error: (error as { code?: string }).code ?? String(error) }),
  );

function client(namespace: DurableObjectNamespaceLike, body: Body) {
  const storage = createDurableObjectTokenStorage({ namespace, name: body.name });
  const { orgUrl, clientId, clientSecret, redirectUri } = body;
  return { storage, client: createSignInClient({ orgUrl, clientId, clientSecret, redirectUri, scopes: ['openid', 'profile', 'offline_access', 'okta.users.read.self'], storage, allowInsecureLoopback: true }) };
}

/** The routes under `/user/`: start, finish (the transaction looked up in the object), restore, call, sign-out. */
export async function userRoute(path: string, body: Body, namespace: DurableObjectNamespaceLike): Promise<unknown> {
  const { storage, client: signIn } = client(namespace, body);
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
    default:
      return { error: 'no such route' };
  }
}
