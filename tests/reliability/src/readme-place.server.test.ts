/**
 * The doc blocks' place (`readmePlace` in test-helpers/readme-run.ts) leaves its org as it found it however a
 * block ends: a set-up that puts a fault on the org (`api-token-429`, `api-token-429-lasting`: docs/MIGRATING.md's
 * retries pair) has it removed when the block fails, or fails to bundle, before its list met it; otherwise the
 * next test's list of users (any test, in any order) would be answered 429 for a block that is not its own.
 * And what a place or its set-ups started is closed in every exit path: a place whose org cannot start leaves
 * no work folder; a set-up's server that never started does not keep the others running.
 */
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { startEmulator } from '@org/okta-emulator';
import { describe, expect, it } from 'vitest';
import type { ReadmeBlock } from './test-helpers/readme-blocks.js';
import { readmePlace } from './test-helpers/readme-run.js';
import { admin, ReadmeOrg } from './test-helpers/readme-setups.js';

const place = await readmePlace('readme-place', 1);

/** A block of the set-up `setup` that ends before it lists anything: `code` is its whole text. */
const block = (setup: string, code: string): ReadmeBlock => ({ name: `a block (${setup})`, code, setup, then: undefined, untilSigterm: false, pair: undefined, notRun: undefined, expected: [] });

/** What the org answers a list of users now, with an API token of its admin's. */
async function listStatus(): Promise<number> {
  const { token } = place.org.createApiToken({ user: admin.login });
  return (await fetch(`${place.org.url}/api/v1/users?limit=1`, { headers: { authorization: `SSWS ${token}`, accept: 'application/json' } })).status;
}

describe('readmePlace leaves no set-up fault on its org', () => {
  const ends = [
    ['exits 1 before its list', "throw new Error('this block fails before it lists users');", 'ran'],
    ['does not bundle', "import { nothing } from './no-such-module.js';\nconsole.log(nothing);", 'threw'],
  ] as const;
  it.for((['api-token-429', 'api-token-429-lasting'] as const).flatMap((setup) => ends.map(([how, code, outcome]) => [setup, how, code, outcome] as const)))(
    '%s: a block that %s leaves the org answering lists',
    { timeout: 60_000 },
    async ([setup, , code, outcome]) => {
      expect(await listStatus()).toBe(200);
      const ran = await place.run(block(setup, code)).then(({ outcome: { code: exit } }) => ['ran', exit] as const, () => ['threw'] as const);
      expect(ran[0]).toBe(outcome);
      if (ran[0] === 'ran') expect(ran[1]).toBe(1);
      expect(await listStatus()).toBe(200);
    },
  );
});

describe('readmePlace and its set-ups close what they started, however they end', () => {
  it('a place whose org is refused leaves no work folder behind', async () => {
    const name = `readme-place-refused-${String(process.pid)}`;
    await expect(readmePlace(name, -1)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    expect((await readdir(tmpdir())).filter((entry) => entry.startsWith(`${name}-`))).toEqual([]);
  });

  it("a redis-server that never started: close still stops the set-ups' proxy, then says why", { timeout: 60_000 }, async () => {
    const org = await startEmulator();
    try {
      const shared = new ReadmeOrg(org);
      const { swap } = await shared.prepare('proxy');
      const proxyUrl = new URL(swap.literals?.find(([placeholder]) => placeholder.startsWith('http://proxy.'))?.[1] ?? '');
      const never = Promise.reject(new Error('redis-server did not start'));
      never.catch(() => undefined);
      (shared as unknown as { redis: Promise<unknown> }).redis = never;
      await expect(shared.close()).rejects.toThrow('redis-server did not start');
      const refused = await new Promise<boolean>((done) => {
        const socket = connect(Number(proxyUrl.port), proxyUrl.hostname);
        socket.once('error', () => done(true)).once('connect', () => {
          socket.destroy();
          done(false);
        });
      });
      expect(refused, 'the proxy still listens').toBe(true);
    } finally {
      await org.close();
    }
  });
});
