import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Router } from '../http/router.js';
import type { OrgContext } from '../state/context.js';
import { registerOrgRoutes } from './index.js';

/** The README's "What it serves" table, as a reader sees it. */
function servedTable(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## What it serves');
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
}

/** Every Okta route the org registers, as `METHOD /path/:param`. */
function registered(): { method: string; template: string }[] {
  const routes: { method: string; template: string }[] = [];
  const router = { add: (method: string, template: string) => (routes.push({ method, template }), router) };
  // Registering reads nothing of the org: its handlers do, when called.
  registerOrgRoutes(router as unknown as Router, null as unknown as OrgContext);
  return routes;
}

describe("the README's table of what the emulator serves", () => {
  it('names the path of every Okta route the org registers (its static part, up to the first parameter)', () => {
    const table = servedTable();
    const routes = registered();
    expect(routes.length).toBeGreaterThan(20);
    const missing = routes.filter(({ template }) => !table.includes(template.split('/:')[0] ?? template)).map(({ method, template }) => `${method} ${template}`);
    expect(missing).toEqual([]);
  });
});
