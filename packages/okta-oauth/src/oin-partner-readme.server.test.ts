/**
 * The README's "OIN partner in 5 minutes", run from the README itself so the section cannot drift from
 * the code: its one block (a partner's service and its vitest test) is read from this package's
 * README, stripped of its types by esbuild and run here against this package's source and two real
 * emulators over HTTP. Its own `expect`s run (each org's users, the revocation); what it says around
 * them is checked on the wire and in the store it shares: one token request per org, both orgs'
 * tokens in the one `createMemoryTokenStore`, the offboarded org's revoked at its org only and
 * deleted from the store, the other org's kept. `tests/reliability`'s README test runs the same block
 * as a vitest file against the built packages.
 */
import { readFileSync } from 'node:fs';
import * as core from '@org/okta-auth-core';
import * as emulator from '@org/okta-emulator';
import type { OktaEmulator } from '@org/okta-emulator';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as oauth from './index.js';
import type { TokenStore } from './token-cache/token-store.js';

/** The first `ts` block under the README's "## OIN partner in 5 minutes". */
function readmeBlock(): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split('\n## OIN partner in 5 minutes\n')[1]?.split('\n## ')[0] ?? '';
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(block, 'the README has the section and its block').toBeDefined();
  return block!;
}

interface Ran {
  /** The block's own test (`test(name, fn)`), not yet run. */
  readonly readmeTest: () => Promise<void>;
  /** The orgs the block started, in order. */
  readonly orgs: OktaEmulator[];
  /** What each token store the block made was asked to keep and to delete, by key. */
  readonly stores: { readonly set: string[]; readonly deleted: string[] }[];
}

/** Runs the block as a CommonJS module whose imports are this package's source, core, the emulator and a `test` that keeps its test. */
async function runBlock(): Promise<Ran> {
  const { code } = await transform(readmeBlock(), { loader: 'ts', format: 'cjs' });
  const tests: (() => Promise<void>)[] = [];
  const orgs: OktaEmulator[] = [];
  const stores: Ran['stores'][number][] = [];
  const modules: Record<string, unknown> = {
    '@org/okta-auth-core': core,
    '@org/okta-emulator': {
      ...emulator,
      startEmulator: async (...args: Parameters<typeof emulator.startEmulator>) => {
        const org = await emulator.startEmulator(...args);
        orgs.push(org);
        return org;
      },
    },
    '@org/okta-oauth': {
      ...oauth,
      createMemoryTokenStore: (...args: Parameters<typeof oauth.createMemoryTokenStore>): TokenStore => {
        const store = oauth.createMemoryTokenStore(...args);
        const seen = { set: [] as string[], deleted: [] as string[] };
        stores.push(seen);
        return {
          get: (key) => store.get(key),
          set: (key, entry) => (seen.set.push(key), store.set(key, entry)),
          delete: (key) => (seen.deleted.push(key), store.delete(key)),
        };
      },
    },
    vitest: { expect, test: (_name: string, fn: () => Promise<void>) => void tests.push(fn) },
  };
  const module = { exports: {} };
  const require = (name: string): unknown => {
    if (!(name in modules)) throw new Error(`the README block imports ${name}, which this test does not give it`);
    return modules[name];
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the README's own code, the subject of this test.
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  expect(tests, 'the block defines one test').toHaveLength(1);
  return { readmeTest: tests[0]!, orgs, stores };
}

describe('README: OIN partner in 5 minutes', () => {
  it("runs as printed: two customer orgs' users, one shared store, one org offboarded", async () => {
    const { readmeTest, orgs, stores } = await runBlock();
    try {
      await readmeTest();
    } finally {
      await Promise.all(orgs.map((org) => org.close()));
    }
    const [acme, globex] = orgs;
    expect(orgs).toHaveLength(2);
    // One token request per org, though the other org's users were read twice.
    expect(acme!.counters().tokenRequests.client_credentials).toEqual({ success: 1 });
    expect(globex!.counters().tokenRequests.client_credentials).toEqual({ success: 1 });
    // The revocation reached the offboarded org only.
    expect(acme!.counters().requests['POST /oauth2/v1/revoke']).toBe(1);
    expect(globex!.counters().requests['POST /oauth2/v1/revoke']).toBeUndefined();
    // One store for both orgs: a key each; the offboarded org's deleted, the other's kept.
    expect(stores).toHaveLength(1);
    const [{ set, deleted }] = stores as [Ran['stores'][number]];
    expect(new Set(set).size).toBe(2);
    const [acmeKey, globexKey] = set;
    expect(deleted).toEqual([acmeKey]);
    expect(deleted).not.toContain(globexKey);
  });
});
