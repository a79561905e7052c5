import { checkDuration, maxDurationMs } from '@org/okta-auth-core/internal';
import { OktaDurableObjectStoreError } from './errors.js';
import { maxLeaseMs } from './protocol.js';

/**
 * A Durable Object stub: what `namespace.get(id)` returns (typed here so the package needs no
 * `@cloudflare/workers-types`).
 * @example
 * ```ts
 * declare const stub: DurableObjectStubLike;
 * const response = await stub.fetch('https://okta-token-store/v1/get', { method: 'POST', body: '{}' });
 * ```
 * @see https://developers.cloudflare.com/durable-objects/api/stub/
 */
export interface DurableObjectStubLike {
  /** Sends one request to the object (its `fetch` handler). */
  fetch(input: string, init?: RequestInit): Promise<Response>;
}

/**
 * A Durable Object namespace binding (`env.OKTA_TOKENS`), as much of it as the storage uses.
 * @example
 * ```ts
 * declare const env: { OKTA_TOKENS: DurableObjectNamespaceLike };
 * const stub = env.OKTA_TOKENS.get(env.OKTA_TOKENS.idFromName('okta-token-store'));
 * ```
 * @see https://developers.cloudflare.com/durable-objects/api/namespace/
 */
export interface DurableObjectNamespaceLike {
  /** The id of the object named `name` (always the same object for the same name). */
  idFromName(name: string): unknown;
  /** A stub of the object with that id. */
  get(id: unknown): DurableObjectStubLike;
}

/**
 * Options of {@link createDurableObjectTokenStorage}.
 * @example
 * ```ts
 * declare const env: { OKTA_TOKENS: DurableObjectNamespaceLike };
 * const options: DurableObjectTokenStorageOptions = { namespace: env.OKTA_TOKENS, objectName: 'tenant-a' };
 * ```
 * @see https://developers.cloudflare.com/durable-objects/api/namespace/#idfromname
 */
export interface DurableObjectTokenStorageOptions {
  /** The namespace binding of {@link OktaTokenStoreObject} (`env.OKTA_TOKENS`). */
  readonly namespace: DurableObjectNamespaceLike;
  /** Which object of the namespace holds the entries (`idFromName`): one per tenant, say, to spread keys. The same option names the object of `loadSharedDpopKeyPair` and `createDurableObjectRateLimitCoordinator`. @default 'okta-token-store' */
  readonly objectName?: string | undefined;
  /** Bound on one call to the object, in ms (1 to 60,000): past it the call fails `STORE_UNAVAILABLE` and the credential goes on in memory. @default 1000 */
  readonly timeoutMs?: number | undefined;
  /**
   * Expiry of a single flight's lease (the holder extends it every third of it while its token request runs), in ms (1 to
   * 300,000), below `maxWaitMs` (else `INVALID_CONFIG`), so a dead isolate's lease ends while the others wait, and one takes over. @default 2000
   */
  readonly leaseTtlMs?: number | undefined;
  /** How long an isolate waits for another's token request before asking Okta itself, in ms (1 to 300,000); above `leaseTtlMs`. @default 4000 */
  readonly maxWaitMs?: number | undefined;
  /** Expiry of values stored without one (sign-in transactions, user tokens), in ms (up to a year). @default 7 days */
  readonly defaultTtlMs?: number | undefined;
}

/** A year, the longest any entry is kept: core's one constant of it. @internal */
export { maxDurationMs };

/** The options checked, with their defaults. @internal */
export interface CheckedOptions extends ObjectOptions {
  readonly leaseTtlMs: number;
  readonly maxWaitMs: number;
  readonly defaultTtlMs: number;
}

const refuse = (message: string) => new OktaDurableObjectStoreError('INVALID_CONFIG', message);

/**
 * `value` (ms from 1 to `max`, rounded up to a whole one), or `fallback` when not given: core's one check of a duration
 * (`checkDuration`), refused with this package's `INVALID_CONFIG`. Given `below` (`leaseTtlMs`: the checked `maxWaitMs`),
 * it must also be under that one, or a dead isolate's lease outlasts every waiter's wait: refused naming both, by core's
 * one rule of it (`checkDuration`'s `below`). @internal
 */
export function ms(value: unknown, fallback: number, max: number, name: string, below?: readonly [name: string, ms: number]): number {
  return checkDuration(value, name, fallback, [1, max], refuse, below && [below[0], below[1], "a dead isolate's lease must end while the other isolates still wait for it"]);
}

/** What every part takes, checked: the namespace binding, which object (`objectName`, for `idFromName`) and the bound on one call. @internal */
export interface ObjectOptions {
  readonly namespace: DurableObjectNamespaceLike;
  readonly objectName: string;
  readonly timeoutMs: number;
}

/**
 * Checks the options every part of the package takes: the namespace, which object (`objectName`, in
 * every part) and `timeoutMs`, each refused with `INVALID_CONFIG` naming it; `usage` says what the
 * caller needs. Answers them with the rest of the options as given. @internal
 */
export function checkObjectOptions(options: unknown, usage: string): ObjectOptions & { readonly given: Readonly<Record<string, unknown>> } {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw refuse(usage);
  const given = options as Readonly<Record<string, unknown>>;
  const namespace = given.namespace as Partial<DurableObjectNamespaceLike> | null | undefined;
  if (typeof namespace !== 'object' || namespace === null || typeof namespace.idFromName !== 'function' || typeof namespace.get !== 'function') {
    throw refuse(`namespace must be a Durable Object namespace binding (with idFromName and get). ${usage}`);
  }
  const objectName = given.objectName ?? 'okta-token-store';
  if (typeof objectName !== 'string' || objectName.length === 0 || objectName.length > 1024) throw refuse("objectName must be a string of 1 to 1024 characters (the object's idFromName).");
  return { namespace: namespace as DurableObjectNamespaceLike, objectName, timeoutMs: ms(given.timeoutMs, 1000, 60_000, 'timeoutMs'), given };
}

/** Checks what a JavaScript caller can get wrong in the options of {@link createDurableObjectTokenStorage}. @internal */
export function checkOptions(options: unknown): CheckedOptions {
  const usage = 'createDurableObjectTokenStorage needs { namespace }: the Durable Object namespace binding of OktaTokenStoreObject (env.OKTA_TOKENS).';
  const { given, ...object } = checkObjectOptions(options, usage);
  const maxWaitMs = ms(given.maxWaitMs, 4000, 300_000, 'maxWaitMs');
  return {
    ...object,
    leaseTtlMs: ms(given.leaseTtlMs, 2000, maxLeaseMs, 'leaseTtlMs', ['maxWaitMs', maxWaitMs]),
    maxWaitMs,
    defaultTtlMs: ms(given.defaultTtlMs, 7 * 24 * 3_600_000, maxDurationMs, 'defaultTtlMs'),
  };
}
