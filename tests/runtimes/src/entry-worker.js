// Entry point for workerd: a module worker whose fetch handler runs the suite
// against the fixture in its FIXTURE binding and answers with the results as JSON.
import { runSuite } from './suite.js';
import { loadExtraCases } from './extra-cases.js';

export default {
  async fetch(_request, env) {
    const fixture = env.FIXTURE;
    const results = await runSuite(fixture, { extraCases: await loadExtraCases(fixture) });
    return Response.json(results);
  },
};
