// Entry point for the command-line runtimes (Node.js, Bun, Deno): reads the
// fixture (JSON) from OKTA_RUNTIME_FIXTURE, or on Deno from its first argument
// (so Deno needs no permission but --allow-net), runs the suite, prints the
// results as one JSON line after a marker. Only this file touches a
// runtime-specific global, and only to read its input. With a Redis fixture it
// adds the Redis store's cases (cases/redis-store.js): their clients are
// Node.js libraries, which only these runtimes run, so they are loaded here and
// never reach the workerd or browser bundle.
import { runSuite } from './suite.js';
import { loadExtraCases } from './extra-cases.js';

const marker = 'OKTA_RUNTIME_RESULTS ';
const raw = globalThis.Deno === undefined ? globalThis.process?.env.OKTA_RUNTIME_FIXTURE : globalThis.Deno.args[0];
if (raw === undefined) throw new Error('no fixture: set OKTA_RUNTIME_FIXTURE (Deno: pass it as the first argument)');
const fixture = JSON.parse(raw);
const redisCases = fixture.redis === undefined ? [] : (await import('./cases/redis-store.js')).redisStoreCases((await import('./redis-node-clients.js')).connectNodeRedisClient);
const results = await runSuite(fixture, { extraCases: [...(await loadExtraCases(fixture)), ...redisCases] });
console.log(`${marker}${JSON.stringify(results)}`);
