import { BucketsFull, ExpiringMap, maxBuckets, maxKept, RateLimitBuckets, readAnswerText } from '@org/okta-auth-core/internal';
import { Entries, StoreFull, type DurableObjectStorageLike } from './object-storage.js';
import { maxDurationMs } from './options.js';
import { hashedKey, maxBodyBytes, maxKeys, maxLeaseMs, maxValueChars, operations, ownerId, protocolBase, type Operation } from './protocol.js';

/**
 * The part of a Durable Object's `state` (`ctx`) {@link OktaTokenStoreObject} uses.
 * @example
 * ```ts
 * declare const state: DurableObjectStateLike;
 * const object = new OktaTokenStoreObject(state);
 * ```
 * @see https://developers.cloudflare.com/durable-objects/api/state/
 */
export interface DurableObjectStateLike {
  /** The object's transactional storage. */
  readonly storage: DurableObjectStorageLike;
}

/** A lease: who holds a key's single flight, until when (epoch ms). */
interface Lease {
  readonly owner: string;
  expires: number;
}

type Body = Record<string, unknown>;
/** A request the object refuses: its status, with an empty body (nothing of the request echoed). */
class Refusal extends Error {
  constructor(readonly status: number) {
    super(`refused with ${status}`);
  }
}

const text = (body: Body, name: string): string => {
  const value = body[name];
  if (typeof value !== 'string') throw new Refusal(400);
  if (value.length > maxValueChars) throw new Refusal(413);
  return value;
};
const key = (body: Body, name = 'k'): string => {
  const value = body[name];
  if (typeof value !== 'string' || !hashedKey.test(value)) throw new Refusal(400);
  return value;
};
const owner = (body: Body): string => {
  const value = body.o;
  if (typeof value !== 'string' || !ownerId.test(value)) throw new Refusal(400);
  return value;
};
const expiry = (body: Body): number => {
  const value = body.e;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Refusal(400);
  return value;
};
const leaseMs = (body: Body): number => {
  const value = body.ttl;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > maxLeaseMs) throw new Refusal(400);
  return value;
};

/** A whole number from `min` to `max` under `name`; anything else a 400. */
const whole = (body: Body, name: string, min: number, max: number): number => {
  const value = body[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new Refusal(400);
  return value;
};
const optional = (body: Body, name: string, min: number, max: number): number | undefined => (body[name] === undefined ? undefined : whole(body, name, min, max));
const window = (body: Body): number => whole(body, 'w', 1, maxDurationMs);
/** A rate-limit request's path key (`p`, a spent window's own), a hashed key; none (an older isolate): the bucket's. */
const path = (body: Body): string | undefined => (body.p === undefined ? undefined : key(body, 'p'));
/** A rate-limit request's bound on the buckets (`b`, its isolate's `maxBuckets`); none (an older isolate): core's default. */
const bound = (body: Body): number => optional(body, 'b', 1, maxKept) ?? maxBuckets;
/** A rate-limit headroom: a share from 0 to below 1. */
const share = (body: Body): number => {
  const value = body.h;
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw new Refusal(400);
  return value;
};

/**
 * The Durable Object behind {@link createDurableObjectTokenStorage}: export it from your Worker
 * and bind a namespace of it (`wrangler.toml`, below). It keeps the token store's entries in its
 * transactional storage with their expiry (an expired entry is never answered: deleted when read,
 * and swept by an alarm), at most 10,000 entries of at most 32,768 characters each, and
 * the single flights' leases in memory (each with an expiry, so an isolate that died frees its key),
 * and, for {@link createDurableObjectRateLimitCoordinator}, the rate-limit buckets in memory too.
 * Each request is one step of the object: between a comparison and its write it awaits nothing
 * but its own storage, so no other request comes between them (the object's input gate).
 *
 * It answers only its storage's own protocol (`POST https://okta-token-store/v1/<operation>`, from
 * the stub): anything else is a 404 with an empty body. Never route requests from the internet to
 * it: the values it holds are tokens.
 *
 * @example
 * ```ts
 * // worker.ts; wrangler.toml:
 * //   [[durable_objects.bindings]]
 * //   name = "OKTA_TOKENS"
 * //   class_name = "OktaTokenStoreObject"
 * //   [[migrations]]
 * //   tag = "v1"
 * //   new_sqlite_classes = ["OktaTokenStoreObject"]
 * export { OktaTokenStoreObject } from '@org/okta-token-store-durable-object';
 * ```
 * @see https://developers.cloudflare.com/durable-objects/api/base/
 * @see https://developers.cloudflare.com/durable-objects/concepts/durable-object-lifecycle/
 */
export class OktaTokenStoreObject {
  readonly #entries: Entries;
  /** At most {@link maxKeys} live ones; once full, expired ones dropped in one scan a second at most (core's `ExpiringMap`, the buckets' too). */
  readonly #leases = new ExpiringMap<Lease>();
  /** Core's buckets (the memory coordinator's rules too), at most each request's `maxBuckets` (`b`), on the object's clock. */
  readonly #buckets = new RateLimitBuckets();

  /** Called by the runtime with the object's state (and the Worker's env, which it does not use). */
  constructor(state: DurableObjectStateLike) {
    this.#entries = new Entries(state.storage);
  }

  /** Answers one request of the storage's protocol; anything else is a 404 with an empty body. */
  async fetch(request: Request): Promise<Response> {
    const operation = request.url.startsWith(protocolBase) ? request.url.slice(protocolBase.length) : '';
    if (request.method !== 'POST' || !(operations as readonly string[]).includes(operation)) return new Response(null, { status: 404 });
    try {
      const { text: json, truncated } = await readAnswerText(new Response(request.body), maxBodyBytes);
      if (truncated) return new Response(null, { status: 413 });
      let body: unknown;
      try {
        body = JSON.parse(json);
      } catch {
        return new Response(null, { status: 400 });
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return new Response(null, { status: 400 });
      return Response.json(await this.#run(operation as Operation, body as Body));
    } catch (error) {
      if (error instanceof Refusal) return new Response(null, { status: error.status });
      // A storage failure: its status only (the caller counts it as a miss).
      return new Response(null, { status: error instanceof StoreFull || error instanceof BucketsFull ? 507 : 500 });
    }
  }

  /** The alarm: one page of the sweep of expired entries. */
  async alarm(): Promise<void> {
    await this.#entries.sweep();
  }

  async #run(operation: Operation, body: Body): Promise<Body> {
    const entries = this.#entries;
    switch (operation) {
      case 'get':
        return { value: (await entries.read(key(body)))?.v ?? null };
      case 'set':
        await entries.write(key(body), text(body, 'v'), expiry(body));
        return {};
      case 'remove':
        await entries.remove(key(body));
        return {};
      case 'removeIfEqual': {
        const [k, v] = [key(body), text(body, 'v')];
        return { done: (await entries.read(k))?.v === v && (await entries.remove(k)) };
      }
      case 'replaceIfEqual': {
        const [k, x, v, e] = [key(body), text(body, 'x'), text(body, 'v'), expiry(body)];
        if ((await entries.read(k))?.v !== x) return { done: false };
        await entries.write(k, v, e);
        return { done: true };
      }
      case 'acquire':
        return this.#acquire(key(body), owner(body), leaseMs(body));
      case 'peek': {
        const k = key(body);
        return { value: (await entries.read(k))?.v ?? null, leased: this.#lease(k) !== undefined };
      }
      case 'extend': {
        const lease = this.#lease(key(body));
        const ours = lease?.owner === owner(body);
        if (ours) lease.expires = Date.now() + leaseMs(body);
        return { ours };
      }
      case 'complete':
        return this.#complete(body);
      case 'release':
        this.#release(key(body), owner(body));
        return {};
      case 'addIfAbsent': {
        // One step: a live value stays and is answered (the first writer wins); else this one is written.
        const [k, v, e] = [key(body), text(body, 'v'), expiry(body)];
        const stored = await entries.read(k);
        if (stored !== undefined) return { value: stored.v, added: false };
        await entries.write(k, v, e);
        return { value: v, added: true };
      }
      case 'reserve': {
        this.#buckets.limit = bound(body);
        // `m`: what the call has left to wait (a wait past it keeps no place); a spent window answers its reset too.
        const wait = this.#buckets.reserve(key(body), window(body), whole(body, 's', 0, maxDurationMs), share(body), optional(body, 'm', 0, maxDurationMs), path(body));
        return typeof wait === 'number' ? { wait } : { wait: wait.wait, spent: wait.resetIn };
      }
      case 'observe': {
        const seen = { status: whole(body, 'st', 100, 599), limit: optional(body, 'l', 0, Number.MAX_SAFE_INTEGER), remaining: optional(body, 'r', 0, Number.MAX_SAFE_INTEGER), resetIn: optional(body, 'i', -maxDurationMs, maxDurationMs) };
        this.#buckets.limit = bound(body);
        this.#buckets.observe(key(body), seen, window(body), path(body));
        return {};
      }
    }
  }

  /** Takes the key's lease when it is free (or already ours); answers the value stored and the id of its write (a stored flight's `held`). */
  async #acquire(k: string, o: string, ttl: number): Promise<Body> {
    const lease = this.#lease(k);
    const entry = await this.#entries.read(k);
    const value = entry?.v ?? null;
    if (lease !== undefined && lease.owner !== o) return { ours: false, value };
    // Full: refused, after a scan for expired leases a second at most (bucket166: before, a scan of every lease per refusal).
    if (lease === undefined && !this.#leases.add(k, { owner: o, expires: Date.now() + ttl }, Date.now(), maxKeys)) throw new StoreFull();
    return { ours: true, value, held: entry?.n ?? null };
  }

  /**
   * A flight's write: with `held` (a stored flight: the id of the write its check saw), only while
   * the key still holds that write (a removal or another write since refuses it); without, as `set`.
   * Releases the lease if it is still `o`'s. Answers whether it wrote, and what the key holds.
   */
  async #complete(body: Body): Promise<Body> {
    const [k, o, v, e] = [key(body), owner(body), text(body, 'v'), expiry(body)];
    const held = body.held;
    if (held !== undefined && typeof held !== 'string') throw new Refusal(400);
    try {
      const current = held === undefined ? undefined : await this.#entries.read(k);
      if (held !== undefined && current?.n !== held) return { written: false, value: current?.v ?? null };
      await this.#entries.write(k, v, e);
      return { written: true, value: v };
    } finally {
      this.#release(k, o);
    }
  }

  /** The key's live lease (an expired one is dropped). */
  #lease(k: string): Lease | undefined {
    return this.#leases.live(k, Date.now());
  }

  #release(k: string, o: string): void {
    if (this.#lease(k)?.owner === o) this.#leases.delete(k);
  }
}
