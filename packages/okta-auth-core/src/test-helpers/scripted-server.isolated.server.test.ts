/**
 * `useScriptedServer` on the one org-per-test lifecycle (`useOrgPerTest` of `@org/okta-test-utils`):
 * a server whose start outlasts its before hook (the hook timed out) is closed once it comes, never
 * handed to the next test in place of that test's own. Isolated: `startScriptedServer` is wrapped
 * (`vi.mock`) so that its first start is held until the test lets it go.
 */
import type * as testUtils from '@org/okta-test-utils';
import { failure, type Handler, type ScriptedServer } from '@org/okta-test-utils';
import { describe, expect, it, vi } from 'vitest';
import { useScriptedServer } from './scripted-server.js';

const held = vi.hoisted(() => ({ release: () => {}, late: undefined as Promise<unknown> | undefined, calls: 0 }));

vi.mock('@org/okta-test-utils', async (importOriginal) => {
  const actual = await importOriginal<typeof testUtils>();
  const startScriptedServer = (handler?: Handler): Promise<ScriptedServer> => {
    const started = actual.startScriptedServer(handler);
    if (++held.calls !== 1) return started;
    held.late = started;
    return new Promise<void>((resolve) => (held.release = resolve)).then(() => started);
  };
  return { ...actual, startScriptedServer };
});

/** Lets the promise jobs and I/O callbacks queued so far run (a released start and its close). */
const settle = async () => {
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
};

describe('useScriptedServer, a start that outlasts its before hook (the hook timed out)', () => {
  // This block's hooks time out at 2 s (read when a hook is made): the first start is held until the next test lets it go,
  // so its hook times out; the second test's hook starts a server of its own within it, even on a loaded machine (at 50 ms it did not).
  vi.setConfig({ hookTimeout: 2_000 });
  const okta = useScriptedServer();
  vi.resetConfig();

  it.fails('the test whose before hook timed out fails', () => {
    expect(okta.url).toBe('');
  });

  it('the server that came after is closed, and the next test keeps its own', async () => {
    const own = okta.url;
    held.release();
    await settle();
    const late = (await held.late) as ScriptedServer;
    // Before: the late server became the running test's (`okta.url` was its), and the test's own was never closed.
    expect(okta.url).toBe(own);
    expect(late.url).not.toBe(own);
    await vi.waitFor(async () => expect(String(await failure(fetch(late.url)))).toMatch(/^TypeError: fetch failed/), { timeout: 5_000 });
    expect((await fetch(okta.url)).status).toBe(200);
  });
});
