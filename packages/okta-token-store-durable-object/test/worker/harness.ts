/**
 * The Worker the server tests run in workerd, twice (services `a` and `b`: two isolates of a fleet)
 * bound to one namespace of OktaTokenStoreObject (`TOKENS`) and one of an object that never answers
 * (`STALLED`). Each route runs one step the test drives over HTTP and answers JSON: a storage call,
 * a single flight held open until the test finishes it, a burst of Okta calls by one service app
 * credential on the store (with the shared DPoP key, or the object's rate-limit budget), a user's
 * sign-in and credential (worker/sign-in.ts).
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { createServiceAppCredential } from '@org/okta-oauth';
import { createDurableObjectRateLimitCoordinator, createDurableObjectTokenStorage, loadSharedDpopKeyPair, type DurableObjectNamespaceLike } from '../../src/index.js';
import { answeredTimeoutMs, userRoute } from './sign-in.js';

export { OktaTokenStoreObject } from '../../src/index.js';

/** A Durable Object that takes every request and never answers. */
export class StalledObject {
  fetch(): Promise<Response> {
    return new Promise(() => undefined);
  }
}

interface Env {
  readonly TOKENS: DurableObjectNamespaceLike;
  readonly STALLED: DurableObjectNamespaceLike;
  /** Service `b`, bound in `a`: another isolate's credential, called from inside a storage call. */
  readonly B?: { fetch(url: string, init: RequestInit): Promise<Response> };
}
type Body = Record<string, unknown> & { name: string; stalled?: boolean; timeoutMs?: number };

/** Okta fetches by id: a credential that keeps its in-isolate cache between bursts. */
const fetches = new Map<string, ReturnType<typeof createOktaFetch>>();
interface Flight {
  obtained: boolean;
  value: string | undefined;
}
/** Single flights running, by the test's id: plain fields, read and set across requests. */
const flights = new Map<string, Flight>();

/** The bound of a call to the object when the test gives none: `answeredTimeoutMs` for `TOKENS`; `STALLED` keeps the default, which its calls must meet. */
const boundOf = (body: Body): number | undefined => body.timeoutMs ?? (body.stalled === true ? undefined : answeredTimeoutMs);

function storage(env: Env, body: Body) {
  return createDurableObjectTokenStorage({ namespace: body.stalled === true ? env.STALLED : env.TOKENS, objectName: body.name, timeoutMs: boundOf(body) });
}

/**
 * The store, with the first removal after a burst with `race` (by the credential of that burst's `id`) of the entry (`remove` or `removeIfEqual`) preceded by a burst
 * of the other isolate's credential (`b`), which is refused the same token and stores a fresh one:
 * the removal then finds that fresh token stored.
 */
function racing(env: Env, body: Body, id: string) {
  const store = storage(env, body);
  const before = async () => {
    const arming = armed.get(id);
    if (arming === undefined) return;
    armed.delete(id);
    raced.push(await (await env.B!.fetch('http://b/burst', { method: 'POST', body: JSON.stringify({ ...arming, race: false, id: 'other-isolate', n: 1 }) })).text());
  };
  return {
    ...store,
    get: (key: string) => store.get(key),
    set: (key: string, value: string, options?: { expiresAt?: number | undefined }) => store.set(key, value, options),
    timeoutMs: store.timeoutMs,
    remove: async (key: string) => (await before(), store.remove(key)),
    removeIfEqual: async (key: string, value: string) => (await before(), store.removeIfEqual!(key, value)),
    singleFlight: store.singleFlight!.bind(store),
  };
}

/** What the other isolate answered inside a racing store's removal. */
const raced: string[] = [];
/** Credentials (by id) whose next removal races the other isolate, with the burst that armed it. */
const armed = new Map<string, Body>();

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (result) => ({ result: result ?? null }),
    (error: unknown) => ({ error: (error as { code?: string }).code ?? String(error) }),
  );

/** The shared DPoP key of app `name` in the object `body.name` (`STALLED`'s with `stalled`), with the events it logged. */
async function sharedKey(env: Env, body: Body, name: string) {
  const events: unknown[] = [];
  const namespace = body.stalled === true ? env.STALLED : env.TOKENS;
  const pair = await loadSharedDpopKeyPair({ namespace, objectName: body.name, name, timeoutMs: boundOf(body), logger: (event) => void events.push(event) });
  return { pair, events };
}

async function route(path: string, body: Body, env: Env): Promise<unknown> {
  if (path.startsWith('/user/')) return userRoute(path, body as Parameters<typeof userRoute>[1], env.TOKENS);
  switch (path) {
    case '/storage': {
      const store = storage(env, body);
      const { op, key, value, expected } = body as Body & { op: string; key: string; value: string; expected: string };
      const calls: Record<string, () => unknown> = {
        get: () => store.get(key),
        set: () => store.set(key, value, { expiresAt: Date.now() + 60_000 }),
        remove: () => store.remove(key),
        removeIfEqual: () => store.removeIfEqual!(key, value),
        replaceIfEqual: () => store.replaceIfEqual!(key, expected, value, { expiresAt: Date.now() + 60_000 }),
      };
      return outcome(Promise.resolve().then(calls[op]));
    }
    case '/flight/run': {
      // The whole flight in this one request (workerd settles a promise only in the request that made it):
      // `obtain` waits for the test's `/flight/finish`, which sets a plain field this request polls.
      const { id, key, stored, stale } = body as Body & { id: string; key: string; stored: boolean; stale?: string };
      const flight: Flight = { obtained: false, value: undefined };
      flights.set(id, flight);
      const result = await outcome(
        storage(env, body).singleFlight!(key, async () => {
          flight.obtained = true;
          while (flight.value === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
          return { value: flight.value, expiresAt: Date.now() + 60_000 };
        }, { stored, fresh: (value) => value !== stale }),
      );
      flights.delete(id);
      return { ...result, obtained: flight.obtained };
    }
    case '/flight/obtaining':
      return { obtaining: flights.get(body.id as string)?.obtained ?? false };
    case '/flight/finish':
      flights.get(body.id as string)!.value = body.value as string;
      return {};
    case '/burst': {
      const { n, orgUrl, clientId, privateKey, keyId, dpop } = body as Body & { n: number; orgUrl: string; clientId: string; privateKey: string; keyId: string; dpop?: 'required' | 'shared' };
      const id = typeof body.id === 'string' ? body.id : crypto.randomUUID();
      if (body.race === true) armed.set(id, body);
      const tokenStore = racing(env, body, id);
      // dpop: 'shared' is a DPoP service app with the key the object holds; 'required', with a key of this isolate's own.
      const dpopKeyPair = dpop === 'shared' && !fetches.has(id) ? (await sharedKey(env, body, clientId)).pair : undefined;
      const credential = () => createServiceAppCredential({ orgUrl, clientId, privateKey, keyId, scopes: ['okta.users.read'], dpop: dpop === undefined ? 'off' : 'required', dpopKeyPair, tokenStore, allowInsecureLoopback: true });
      // coordinate: the isolates' rate-limit budget on the object `name`; no retries, so a 429 is an answer's status.
      const rateLimitCoordinator = body.coordinate === true ? createDurableObjectRateLimitCoordinator({ namespace: body.stalledLimits === true ? env.STALLED : env.TOKENS, objectName: body.name, headroom: 0, spreadMs: 1000 }) : undefined;
      const limits = body.coordinate === undefined ? {} : { rateLimitCoordinator, retry: { limit: 0, maxWaitMs: 20_000 }, timeoutMs: 60_000 };
      const okta = fetches.get(id) ?? createOktaFetch({ credential: credential(), ...limits });
      fetches.set(id, okta);
      const statuses = await Promise.all(Array.from({ length: n }, () => okta('/api/v1/users').then((response) => response.status, (error: unknown) => (error as { status?: number }).status ?? 0)));
      return body.race === true ? { statuses, raced: raced.splice(0) } : { statuses };
    }
    case '/dpop-key': {
      // Which key this isolate loaded (its public JWK), what it logged, and all the pair shows of itself.
      const { pair, events } = await sharedKey(env, body, body.app as string);
      const { x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
      return { key: `${x}.${y}`, events, extractable: pair.privateKey.extractable, shown: JSON.stringify(pair) };
    }
    case '/probe': {
      // A request the storage's protocol never makes: the object must refuse it with nothing echoed.
      const stub = env.TOKENS.get(env.TOKENS.idFromName(body.name));
      const response = await stub.fetch(body.url as string, { method: body.method as string, ...(body.method === 'GET' ? {} : { body: JSON.stringify({ k: 'secret-value' }) }) });
      return { status: response.status, text: await response.text() };
    }
    default:
      return { error: 'no such route' };
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    return Response.json(await route(new URL(request.url).pathname, (await request.json()) as Body, env));
  },
};
