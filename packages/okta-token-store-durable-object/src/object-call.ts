import { readAnswerText, settleWithin } from '@org/okta-auth-core/internal';
import { isOktaDurableObjectStoreError, OktaDurableObjectStoreError } from './errors.js';
import type { DurableObjectNamespaceLike } from './options.js';
import { maxBodyBytes, maxValueChars, protocolBase, type Operation } from './protocol.js';

/** An answer of the object: its JSON object. @internal */
export type Answer = Record<string, unknown>;

/**
 * The one way into {@link OktaTokenStoreObject} (the token storage and the shared DPoP key both
 * call it): one request of the protocol to the object `id` of `namespace`, bounded by `timeoutMs`
 * and `signal`, its answer read by core's bounded reader. Errors name the operation and the status
 * only, never the body sent or answered (it may hold a token or a private key). @internal
 */
export async function callObject(namespace: DurableObjectNamespaceLike, id: unknown, timeoutMs: number, operation: Operation, body: Answer, signal?: AbortSignal): Promise<Answer> {
  const request = new AbortController();
  try {
    const settled = await settleWithin(async () => {
      const response = await namespace.get(id).fetch(`${protocolBase}${operation}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: request.signal,
      });
      if (response.status === 413 || response.status === 507) {
        void response.body?.cancel().catch(() => undefined);
        throw new OktaDurableObjectStoreError('LIMIT_EXCEEDED', response.status === 413 ? `The token store refused a value over ${maxValueChars} characters.` : 'The token store object is full: give each tenant its own object (the objectName option).', { status: response.status });
      }
      if (!response.ok) {
        void response.body?.cancel().catch(() => undefined);
        // A 400 or 404 is also what an older object says of an operation or field it does not know (mid-deploy).
        const older = response.status === 400 || response.status === 404;
        throw new OktaDurableObjectStoreError(
          'STORE_UNAVAILABLE',
          `The token store object answered HTTP ${response.status} to ${operation}: check that namespace is bound to OktaTokenStoreObject${older ? ', and that the object runs the @org/okta-token-store-durable-object version of this Worker (during a deploy an older one refuses a newer request: deploy both)' : ''}.`,
          { status: response.status },
        );
      }
      const { text, truncated } = await readAnswerText(response, maxBodyBytes, request.signal);
      const answer = truncated ? undefined : (JSON.parse(text) as unknown);
      if (typeof answer !== 'object' || answer === null) throw new OktaDurableObjectStoreError('STORE_UNAVAILABLE', `The token store object's answer to ${operation} is not its protocol's.`);
      return answer as Answer;
    }, { signal, timeoutMs });
    if (settled.ok) return settled.value;
    if (settled.reason === 'timeout') throw new OktaDurableObjectStoreError('STORE_UNAVAILABLE', `The token store object did not answer ${operation} within ${timeoutMs} ms (timeoutMs).`);
    if (isOktaDurableObjectStoreError(settled.error)) throw settled.error;
    // The stub's own failure (the object reset, overloaded, the binding wrong): said, not carried.
    throw new OktaDurableObjectStoreError('STORE_UNAVAILABLE', `The token store object failed ${operation}: check its binding and Cloudflare's status.`);
  } finally {
    request.abort();
  }
}
