/**
 * A logger that returns a Promise (an `async` function writing to a network sink) is called as any
 * logger, and what its Promise rejects with is ignored, as what a synchronous one throws is: the
 * `OktaLogger` type (`=> void`) accepts an async function, and an unhandled rejection ends a Node.js
 * process by default. Every driver, on a real org: a call that succeeds, then a 5xx that fails the
 * call (retried where the driver retries it), so that the logger's Promise rejects for each event.
 */
import { useUnhandledRejections } from '@org/okta-test-utils';
import { describe } from 'vitest';
import type { OktaLogEvent, OktaLogger } from './logger.js';
import { drivers } from '../test-helpers/drivers.js';
import { itWithApiTokenOrg } from '../test-helpers/api-token-org.js';

const unhandled = useUnhandledRejections();

describe.each(Object.entries(drivers))('a logger whose Promise rejects (%s)', (_name, driver) => {
  itWithApiTokenOrg('is called for every event, the call goes on, and nothing is left unhandled', async ({ org: tokenOrg, expect }) => {
    const { org } = tokenOrg;
    const seen: OktaLogEvent['type'][] = [];
    // What the test is about: an async function where `OktaLogger` (`=> void`) is expected, as TypeScript allows.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    const logger: OktaLogger = async (event) => {
      seen.push(event.type);
      await Promise.resolve();
      throw new Error('log sink down');
    };
    const client = driver({ credential: tokenOrg.ssws(org.url), logger });
    await expect(client.getJson('/api/v1/users?limit=1')).resolves.toBeInstanceOf(Array);
    org.injectFault({ path: '/api/v1/users', kind: 'status', status: 503, count: 3 });
    await expect(client.getJson('/api/v1/users?limit=1')).rejects.toMatchObject({ code: 'API_ERROR', status: 503 });
    expect(await unhandled.settled()).toEqual([]);
    expect(seen).toEqual(expect.arrayContaining(['request', 'response', 'error']));
  });
});

describe('a logger that returns a thenable of its own', () => {
  itWithApiTokenOrg('has its rejection handled too, and one whose then throws is ignored', async ({ org: tokenOrg, expect }) => {
    const { org } = tokenOrg;
    const thenables: OktaLogger[] = [
      () => ({ then: (_ok: unknown, fail: (reason: unknown) => void) => fail(new Error('sink down')) }) as unknown as undefined,
      () => ({ then: () => { throw new Error('broken then'); } }) as unknown as undefined,
    ];
    for (const logger of thenables) {
      const client = drivers.fetch!({ credential: tokenOrg.ssws(org.url), logger });
      await expect(client.getJson('/api/v1/users?limit=1')).resolves.toBeInstanceOf(Array);
    }
    expect(await unhandled.settled()).toEqual([]);
  });
});
