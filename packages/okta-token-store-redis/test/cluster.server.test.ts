/**
 * The store and the rate-limit coordinator on a real Redis Cluster (two redis-server nodes),
 * through both well-kept clients' cluster clients: the README says cluster stays yours.
 */
import { randomBytes } from 'node:crypto';
import { createCluster } from 'redis';
import { describe, expect, it } from 'vitest';
import { createRedisRateLimitCoordinator, createRedisTokenStorage, loadSharedDpopKeyPair } from '../src/index.js';
import { commandTimeoutMs } from './redis-clients.js';
import { ioredisCluster, useRedisCluster } from './redis-cluster.js';

const cluster = useRedisCluster();
const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };

describe('on a Redis Cluster of two nodes', () => {
  it("ioredis Cluster: a cold bucket's probe is one key, never one on another node (every bucket reserves, one probe at a time)", async () => {
    const client = await ioredisCluster(cluster.ports());
    try {
      const coordinator = createRedisRateLimitCoordinator({ commandTimeoutMs, client });
      // Eight cold buckets: their keys spread over both nodes (fixed names, so the same every run).
      for (let i = 0; i < 8; i++) {
        const scope = { origin: 'https://acme.okta.com', bucket: `/api/v1/bucket-${i}` };
        expect(await coordinator.reserve(scope)).toBe(0);
        // The probe is out: the next caller waits for Okta's first answer, 250 ms at a time.
        expect(await coordinator.reserve(scope)).toBe(250);
      }
    } finally {
      await client.quit();
    }
  });

  it.each(['ioredis', 'node-redis'])('%s cluster client: entries, the single flight and the shared DPoP key work', async (name) => {
    const client = name === 'ioredis' ? await ioredisCluster(cluster.ports()) : await createCluster({ rootNodes: cluster.ports().map((port) => ({ url: `redis://127.0.0.1:${port}` })) }).connect();
    try {
      const events: unknown[] = [];
      const store = createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix: `cluster-${name}:`, logger: (event) => void events.push(event) });
      for (let i = 0; i < 4; i++) {
        await store.set(`k${i}`, `tokens ${i}`, { expiresAt: Date.now() + 60_000 });
        expect(await store.get(`k${i}`)).toBe(`tokens ${i}`);
        expect(await store.removeIfEqual?.(`k${i}`, `tokens ${i}`)).toBe(true);
      }
      let grants = 0;
      const obtain = () => Promise.resolve({ value: `token ${++grants}`, expiresAt: Date.now() + 60_000 });
      expect(await store.singleFlight?.('sf', obtain, {})).toBe('token 1');
      expect(await store.singleFlight?.('sf', obtain, {})).toBe('token 1');
      const [one, two] = await Promise.all([0, 1].map(() => loadSharedDpopKeyPair({ commandTimeoutMs, client, encryption, name: `app-${name}`, prefix: `cluster-${name}:`, logger: (event) => void events.push(event) })));
      const thumbprint = async (key: CryptoKey) => JSON.stringify(await crypto.subtle.exportKey('jwk', key));
      expect(await thumbprint(one!.publicKey)).toBe(await thumbprint(two!.publicKey));
      expect(events).toEqual([]);
    } finally {
      await client.quit();
    }
  });
});
