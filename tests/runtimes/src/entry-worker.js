// Entry point for workerd: a module worker whose fetch handler runs the suite
// against the fixture in its FIXTURE binding and answers with the results as JSON.
// With a Redis fixture it adds the Redis store's cases over Cloudflare's TCP
// sockets (redis-socket-client.js: workerd has no Redis client the repo uses).
import { runSuite } from './suite.js';
import { loadExtraCases } from './extra-cases.js';
import { redisStoreCases } from './cases/redis-store.js';
import { connectSocketClient } from './redis-socket-client.js';

export default {
  async fetch(_request, env) {
    const fixture = env.FIXTURE;
    const redisCases = fixture.redis === undefined ? [] : redisStoreCases(connectSocketClient);
    const results = await runSuite(fixture, { extraCases: [...(await loadExtraCases(fixture)), ...redisCases] });
    return Response.json(results);
  },
};
