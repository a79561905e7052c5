/**
 * The one protocol between the storage (`durable-object-token-storage.ts`, in the calling isolate)
 * and the object (`token-store-object.ts`): a `POST` of a JSON body to `https://okta-token-store/v1/<op>`,
 * answered with JSON (200) or an empty body with a status (400 a request it cannot read, 404 a path
 * or method it does not know, 413 a value over {@link maxValueChars}, 507 a new key past {@link maxKeys}).
 * Keys on the wire are SHA-256 hashes of the storage key, made by the storage: the object never
 * hashes (an `await` of anything but its own storage would let another request in between a
 * comparison and its write). @internal
 */

/** The origin and path prefix of every request to the object (never routed from the internet). @internal */
export const protocolBase = 'https://okta-token-store/v1/';

/** Most characters of one stored value: at most 64 KiB as UTF-16, under the 128 KiB a value of a key-value-backed Durable Object may hold. @internal */
export const maxValueChars = 32_768;

/** Most entries one object holds: a write of a new key past it is refused (`LIMIT_EXCEEDED`). @internal */
export const maxKeys = 10_000;

/**
 * Most bytes of one request body the object reads, and of one answer the storage reads: two values
 * (`replaceIfEqual`'s) at their longest as JSON, and 4 KiB for the rest. JSON escapes a control
 * character or a lone surrogate as `\u0001`, six bytes for one UTF-16 unit, the most of any (a
 * surrogate pair is 4 bytes of UTF-8, any other unit at most 3): 12 × {@link maxValueChars}. @internal
 */
export const maxBodyBytes = 2 * 6 * maxValueChars + 4096;

/** Most milliseconds of a lease (a single flight's claim on a key) the object grants. @internal */
export const maxLeaseMs = 300_000;

/** The operations, each one step of the object. @internal */
export const operations = ['get', 'set', 'remove', 'removeIfEqual', 'replaceIfEqual', 'acquire', 'peek', 'extend', 'complete', 'release', 'addIfAbsent', 'reserve', 'observe'] as const;

/** One of {@link operations}. @internal */
export type Operation = (typeof operations)[number];

/** A stored key's shape on the wire: a base64url SHA-256. @internal */
export const hashedKey = /^[A-Za-z0-9_-]{43}$/;

/** A lease owner's id: what `randomId` makes. @internal */
export const ownerId = /^[A-Za-z0-9_-]{8,64}$/;

/** A new write's id: a refusal of a stored flight's write compares it, so a removal then a write of the same text still refuses. @internal */
export function randomWriteId(): string {
  return crypto.randomUUID();
}
