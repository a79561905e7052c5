// The Redis clients the repo depends on, node-redis (`redis`) and ioredis, for the Redis store's
// cases on the runtimes where they run (Node.js, Bun, Deno: TCP through node:net). Loaded by
// entry-cli.js alone, never bundled for workerd or a browser.
import { createClient } from 'redis';

/** A connected client named `name` ('node-redis' or 'ioredis'): `{ client, raw(args), close() }`. */
export async function connectNodeRedisClient(name, url) {
  if (name === 'node-redis') {
    const client = await createClient({ url }).connect();
    return { client, raw: (args) => client.sendCommand(args), close: () => client.quit() };
  }
  if (name !== 'ioredis') throw new Error(`no Redis client named ${name} here`);
  // Imported only here: on Deno its `debug` dependency reads the whole environment at import.
  const { Redis } = await import('ioredis');
  // No reconnection, one attempt per command: a failure here fails the case, never waits.
  const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return { client, raw: (args) => client.call(args[0], ...args.slice(1)), close: () => client.quit() };
}
