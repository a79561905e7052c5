/**
 * This package's README sends a service app that must outlive an outage of its System Log feed to
 * core's resume loop ("The System Log", core README), "with this credential". That loop's `passing`
 * resumed on an `OktaApiError` 5xx only: with an OAuth credential, a token endpoint answering 5xx
 * past the retries is an `OktaOAuthError` (`TOKEN_REQUEST_FAILED`, with its `status`), and the feed
 * ended (docs/security-history.md, coordbound140). The README's own `passing`, read from the README,
 * is asked about the errors a real feed gets from @org/okta-emulator over HTTP.
 */
import { readFileSync } from 'node:fs';
import * as core from '@org/okta-auth-core';
import { createOktaFetch, pollSystemLog } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { createServiceAppCredential } from '../service-app.js';
import { useSignInOrg } from '../user/test-helpers/sign-in-org.js';

const env = useSignInOrg();

/** Core README's `passing`, as printed there (its one type annotation dropped), given the names its block imports from core. */
function readmePassing(): (error: unknown) => boolean {
  const readme = readFileSync(new URL('../../../okta-auth-core/README.md', import.meta.url), 'utf8');
  const block = /<!-- run: api-token-logs-outage[^>]*-->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const names = /import \{ ([^}]+) \} from '@org\/okta-auth-core';/.exec(block)?.[1]?.split(', ') ?? [];
  const body = /const passing = \(error: unknown\) =>([\s\S]*?);\n/.exec(block)?.[1];
  expect(body, 'the README block defines passing').toBeDefined();
  const given = names.map((name) => (core as Record<string, unknown>)[name]);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the README's own code, the subject of this test.
  return new Function(...names, `return (error) => ${body!}`)(...given) as (error: unknown) => boolean;
}

/** What the first poll of the feed, through a service app's credential, failed with, once `fault` is on the org. */
async function feedFailure(fault: Parameters<typeof env.org.injectFault>[0]): Promise<unknown> {
  const app = env.org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.logs.read'] });
  const credential = createServiceAppCredential({ orgUrl: env.org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.logs.read'], allowInsecureLoopback: true });
  env.org.injectFault(fault);
  try {
    for await (const page of pollSystemLog(createOktaFetch({ credential }), '/api/v1/logs?since=2026-11-30T00:00:00Z', { intervalMs: 1000 })) return page;
  } catch (error) {
    return error;
  }
}

describe("core README's System Log resume loop, with a service app's credential", () => {
  it.each([503, 500])('resumes after the token endpoint answered %i past the retries (OktaOAuthError TOKEN_REQUEST_FAILED)', async (status) => {
    const error = await feedFailure({ path: '/oauth2/v1/token', kind: 'status', status, count: 1 });
    expect(error).toMatchObject({ name: 'OktaOAuthError', code: 'TOKEN_REQUEST_FAILED', status });
    expect(readmePassing()(error)).toBe(true);
  });

  it('resumes after the API answered 503 past the retries, as before', async () => {
    const error = await feedFailure({ path: '/api/v1/logs', kind: 'status', status: 503, count: 3 });
    expect(error).toMatchObject({ name: 'OktaApiError', status: 503 });
    expect(readmePassing()(error)).toBe(true);
  });

  it('does not resume after a refusal (a 403), nor on what is not the library\'s (an object with a status)', async () => {
    const error = await feedFailure({ path: '/api/v1/logs', kind: 'status', status: 403, count: 1 });
    expect(error).toMatchObject({ status: 403 });
    expect(readmePassing()(error)).toBe(false);
    expect(readmePassing()({ status: 503, code: 'TIMEOUT' })).toBe(false);
  });
});
