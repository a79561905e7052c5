/**
 * A real Redis Cluster of two redis-server nodes for one test file (slots 0-8191 on the first,
 * 8192-16383 on the second), so a key and one it is built from can live on different nodes.
 */
import { Cluster } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '@org/okta-test-utils/free-port';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';

/** Starts the two nodes before the file's tests, joins them and waits until the cluster is up; stops them after. */
export function useRedisCluster(): { readonly ports: () => number[] } {
  let nodes: RedisServer[] = [];
  beforeAll(async () => {
    // The bus port is Redis's port + 10000 unless set, and Redis refuses a port above 55535 with
    // cluster enabled: the OS hands out ports up to 60999. Each attempt gets its own free bus port.
    // CLUSTER MEET is then told the bus port of the node it meets.
    const busPorts: number[] = [];
    nodes = await Promise.all(
      [0, 1].map((n) =>
        startRedisServer({
          args: async () => {
            busPorts[n] = await freePort();
            return ['--cluster-enabled', 'yes', '--cluster-port', String(busPorts[n])];
          },
        }),
      ),
    );
    const admins = await Promise.all(nodes.map((node) => createClient({ url: node.url }).connect()));
    try {
      await admins[0]!.sendCommand(['CLUSTER', 'ADDSLOTSRANGE', '0', '8191']);
      await admins[1]!.sendCommand(['CLUSTER', 'ADDSLOTSRANGE', '8192', '16383']);
      await admins[0]!.sendCommand(['CLUSTER', 'MEET', '127.0.0.1', String(nodes[1]!.port), String(busPorts[1])]);
      for (let i = 0; i < 600; i++) {
        const states = await Promise.all(admins.map(async (admin) => String(await admin.sendCommand(['CLUSTER', 'INFO']))));
        if (states.every((state) => state.includes('cluster_state:ok'))) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the two-node Redis Cluster did not come up');
    } finally {
      await Promise.all(admins.map((admin) => admin.quit()));
    }
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  });
  return { ports: () => nodes.map((node) => node.port) };
}

/** An ioredis cluster client of the nodes, ready. */
export async function ioredisCluster(ports: number[]): Promise<Cluster> {
  const cluster = new Cluster(ports.map((port) => ({ host: '127.0.0.1', port })));
  await new Promise<void>((resolve, reject) => {
    cluster.once('ready', () => resolve());
    cluster.once('error', reject);
  });
  return cluster;
}
