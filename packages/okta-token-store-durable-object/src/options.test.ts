import { describe, expect, it } from 'vitest';
import { createDurableObjectRateLimitCoordinator, createDurableObjectTokenStorage, loadSharedDpopKeyPair } from './index.js';
import { objectNamespace } from './test-helpers/memory-storage.js';

const namespace = { idFromName: (name: string) => name, get: () => ({ fetch: () => Promise.resolve(new Response('{}')) }) };
const refusal = (options: unknown) => {
  try {
    createDurableObjectTokenStorage(options as never);
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  return undefined;
};

describe('createDurableObjectTokenStorage: bad options are INVALID_CONFIG saying what to pass', () => {
  it.each([undefined, null, 'env.OKTA_TOKENS', [], {}, { namespace: {} }, { namespace: 'OKTA_TOKENS' }])('no namespace binding: %j', (options) => {
    expect(refusal(options)).toEqual({ code: 'INVALID_CONFIG', message: expect.stringContaining('namespace') as unknown });
  });

  it.each([['objectName', 42], ['objectName', ''], ['objectName', 'x'.repeat(1025)]])('%s %j', (option, value) => {
    expect(refusal({ namespace, [option]: value })).toEqual({ code: 'INVALID_CONFIG', message: "objectName must be a string of 1 to 1024 characters (the object's idFromName)." });
  });

  it.each([
    ['timeoutMs', 0, '1 to 60000 (1 ms to 1 min)'],
    ['timeoutMs', 60_001, '1 to 60000 (1 ms to 1 min)'],
    ['timeoutMs', '1000', '1 to 60000 (1 ms to 1 min)'],
    ['timeoutMs', Number.NaN, '1 to 60000 (1 ms to 1 min)'],
    ['leaseTtlMs', 300_001, '1 to 300000 (1 ms to 5 min)'],
    ['maxWaitMs', -1, '1 to 300000 (1 ms to 5 min)'],
    ['defaultTtlMs', Infinity, '1 to 31536000000 (1 ms to 365 days)'],
  ])('%s %j', (option, value, range) => {
    expect(refusal({ namespace, [option]: value })).toEqual({ code: 'INVALID_CONFIG', message: `The ${option} option must be a number of milliseconds from ${range}.` });
  });

  // lock164: with the defaults (leaseTtlMs 5000, maxWaitMs 4000) a dead isolate's lease outlived every waiter's wait: each asked Okta itself.
  it.each([
    [{ leaseTtlMs: 4000 }, 'The leaseTtlMs option (4000 ms) must be below maxWaitMs (4000 ms)'],
    [{ leaseTtlMs: 5000, maxWaitMs: 4000 }, 'The leaseTtlMs option (5000 ms) must be below maxWaitMs (4000 ms)'],
    [{ maxWaitMs: 1000 }, 'The leaseTtlMs option (its default, 2000 ms) must be below maxWaitMs (1000 ms)'],
  ])('a leaseTtlMs not below maxWaitMs (%o) is INVALID_CONFIG naming both and what to change', (options, message) => {
    const advice = ": a dead isolate's lease must end while the other isolates still wait for it. Lower leaseTtlMs or raise maxWaitMs.";
    expect(refusal({ namespace, ...options })).toEqual({ code: 'INVALID_CONFIG', message: message + advice });
  });

  it('a leaseTtlMs below maxWaitMs is taken, and so are the defaults (2000 and 4000)', () => {
    for (const options of [{}, { leaseTtlMs: 3999 }, { maxWaitMs: 2001 }, { leaseTtlMs: 100, maxWaitMs: 200 }]) expect(refusal({ namespace, ...options })).toBeUndefined();
  });

  it('takes a namespace alone, and declares a little more than its own bound as timeoutMs', () => {
    expect(createDurableObjectTokenStorage({ namespace }).timeoutMs).toBe(1050);
    expect(createDurableObjectTokenStorage({ namespace, objectName: 'tenant-a', timeoutMs: 250.5 }).timeoutMs).toBe(301);
    // Rounded up before its range is checked, as the Redis store's (it used to be refused), and null is the default.
    expect(createDurableObjectTokenStorage({ namespace, timeoutMs: 0.5 }).timeoutMs).toBe(51);
    expect(createDurableObjectTokenStorage({ namespace, timeoutMs: null } as never).timeoutMs).toBe(1050);
    expect(JSON.stringify(createDurableObjectTokenStorage({ namespace, objectName: 'tenant-a' }))).toBe('{"store":"durable-object","objectName":"tenant-a"}');
  });

  it('objectName names the object in every part: the token storage, the shared DPoP key beside it, the rate-limit coordinator', async () => {
    const { namespace: one } = objectNamespace();
    const named: unknown[] = [];
    const recording = { idFromName: (name: string) => (named.push(name), one.idFromName(name)), get: (id: unknown) => one.get(id) };
    await createDurableObjectTokenStorage({ namespace: recording, objectName: 'tenant-a' }).get('k');
    await loadSharedDpopKeyPair({ namespace: recording, objectName: 'tenant-a', name: 'client-1' });
    await createDurableObjectRateLimitCoordinator({ namespace: recording, objectName: 'tenant-a' }).reserve({ origin: 'https://acme.okta.com', bucket: '/api/v1/users' });
    expect(named).toEqual(['tenant-a', 'tenant-a', 'tenant-a']);
  });
});
