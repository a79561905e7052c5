/**
 * bucket166: the object's single-flight leases, at most `maxKeys` (10,000) live ones. Once full, every `acquire` of a
 * new key first read every lease for an expired one (`#prune`, O(n) per refused call: 10,000 reads each, under exactly
 * the load that filled it), the shape bucket165 fixed for core's rate-limit buckets. Now the leases are kept as the
 * buckets are (core's `ExpiringMap`): once full, scanned at most once a second. Counts reads, never times.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { maxKeys, protocolBase } from './protocol.js';
import { memoryStorage } from './test-helpers/memory-storage.js';
import { OktaTokenStoreObject } from './token-store-object.js';

afterEach(() => void vi.useRealTimers());

const key = (n: number) => `lease${n}`.padEnd(43, 'k');

/** A full object: `maxKeys` leases of a minute, each of another key. */
async function fullObject() {
  const object = new OktaTokenStoreObject({ storage: memoryStorage().storage });
  const acquire = async (k: string) => {
    const answer = await object.fetch(new Request(`${protocolBase}acquire`, { method: 'POST', body: JSON.stringify({ k, o: 'owner-one', ttl: 60_000 }) }));
    return answer.ok ? ((await answer.json()) as { ours: boolean }).ours : answer.status;
  };
  for (let n = 0; n < maxKeys; n++) expect(await acquire(key(n))).toBe(true);
  return acquire;
}

describe('the leases of a full object', () => {
  it('a new key is refused (507) after one scan a second at most, not one per refused call', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const acquire = await fullObject();
    const reads = vi.spyOn(Map.prototype, 'get');
    for (let n = 0; n < 100; n++) expect(await acquire(key(maxKeys + n))).toBe(507);
    // One scan of the 10,000 leases and a few reads per call (before: a scan per call, over 1,000,000 reads).
    expect(reads.mock.calls.length).toBeLessThan(maxKeys + 100 * 50);
    reads.mockClear();
    vi.setSystemTime(1_001_000); // a second on: one scan more
    for (let n = 0; n < 100; n++) expect(await acquire(key(maxKeys + n))).toBe(507);
    expect(reads.mock.calls.length).toBeLessThan(maxKeys + 100 * 50);
  });

  it('expired leases still make room: past their minute, a new key is taken', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const acquire = await fullObject();
    expect(await acquire(key(maxKeys))).toBe(507);
    vi.setSystemTime(1_060_000);
    expect(await acquire(key(maxKeys))).toBe(true);
    // The others expired with it: no lease holds its key.
    expect(await acquire(key(0))).toBe(true);
  });
});
