/**
 * A 400 or 404 from the object names both causes: a namespace bound to something else, or (during a
 * deploy) an object that runs an older @org/okta-token-store-durable-object than the Worker calling
 * it, which refuses an operation (404) or a field (400) it does not know. Before, only the binding.
 */
import { describe, expect, it } from 'vitest';
import { createDurableObjectTokenStorage } from './index.js';
import { objectNamespace } from './test-helpers/memory-storage.js';

const refusedBy = (status: number) => createDurableObjectTokenStorage({ namespace: objectNamespace(() => Promise.resolve(new Response(null, { status }))).namespace });

describe("the object's refusal of a request of the protocol", () => {
  it.each([404, 400])('HTTP %i: STORE_UNAVAILABLE naming the binding and an older object (deploy both)', async (status) => {
    await expect(refusedBy(status).get('k')).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: `The token store object answered HTTP ${status} to get: check that namespace is bound to OktaTokenStoreObject, and that the object runs the @org/okta-token-store-durable-object version of this Worker (during a deploy an older one refuses a newer request: deploy both).`,
    });
  });

  it('HTTP 500 (the object failed, or another class answers): the binding alone, no word of a version', async () => {
    await expect(refusedBy(500).get('k')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: 'The token store object answered HTTP 500 to get: check that namespace is bound to OktaTokenStoreObject.' });
  });
});
