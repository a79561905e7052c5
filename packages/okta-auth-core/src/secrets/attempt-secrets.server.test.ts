/**
 * The secrets a caller names (`executeOktaRequest`'s `secrets`: a client_secret_jwt secret that is
 * never sent, a refresh token in a form of the caller's own) join the attempt's one list
 * (`attempt-secrets.ts`), over real HTTP against `@org/okta-emulator`: they are scrubbed from the
 * error, its fields and the log like what the attempt sent, named when the attempt is sent, and
 * known before it is authorized (what names an attempt whose `authorize` outlasts `timeoutMs`).
 */
import { failure } from '@org/okta-test-utils';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scrubAnswer } from '../errors/answer.js';
import { isOktaApiError } from '../errors/api-error.js';
import { isOktaAuthError } from '../errors/errors.js';
import { executeOktaRequest } from '../request/execute.js';
import type { OktaLogEvent } from '../config/logger.js';
import { printed } from '../test-helpers/printed.js';

/** Never sent: only the caller knows it is a secret. */
const named = 'client-secret-never-sent-0123456789';

let org: OktaEmulator;
beforeEach(async () => {
  org = await startEmulator();
});
afterEach(async () => {
  await org.close();
});

/** Every printed form of an error and of the log events. */
const everything = (error: unknown, events: readonly OktaLogEvent[]): string => [error, ...events].flatMap(printed).join('\n');

describe("the secrets a caller names, in the attempt's list", () => {
  it('scrubs them from the message, the fields, the request id and the log, though the attempt never sent them', async () => {
    // An answer (Okta's error shape) that echoes the secret in its summary, its causes and its request id.
    org.injectFault({
      path: '/api/v1/users/*',
      kind: 'status',
      status: 400,
      body: { errorCode: 'E0000001', errorSummary: `Api validation failed: ${named}`, errorId: 'e1', errorCauses: [{ errorSummary: `value ${named}` }] },
      headers: { 'x-okta-request-id': `rid-${named}` },
    });
    const events: OktaLogEvent[] = [];
    const error: unknown = await failure(
      executeOktaRequest(() => Promise.resolve(new Request(`${org.url}/api/v1/users/${named}`)), {
        origin: org.url,
        secrets: () => [named],
        logger: (event) => events.push(event),
        retry: false,
      }),
    );
    expect(isOktaApiError(error) && error.status).toBe(400);
    expect((error as Error).message).toMatch(/^400 E0000001 Api validation failed: \[redacted …6789\]/);
    expect(events.map((event) => event.type)).toEqual(['request', 'response', 'error']);
    expect(everything(error, events)).toContain('[redacted …6789]');
    expect(everything(error, events)).not.toContain(named);
  });

  it('takes them when the attempt is sent: a secret the caller replaces afterwards does not unlist the one sent', async () => {
    org.injectFault({ path: '/api/v1/users', kind: 'status', status: 401 });
    let current = 'first-client-secret-value-0001';
    const response = await executeOktaRequest(() => Promise.resolve(new Request(`${org.url}/api/v1/users`)), { origin: org.url, secrets: () => [current], throwHttpErrors: false, retry: false });
    expect(response.status).toBe(401);
    // Rotated before the answer is read: the list is the attempt's, from when it went out.
    current = 'second-client-secret-value-0002';
    expect(scrubAnswer(response, 'echo first-client-secret-value-0001')).toBe('echo [redacted …0001]');
    await response.body?.cancel();
  });

  it("scrubs them from the path of an attempt whose credential's authorize outlasts timeoutMs (nothing sent yet)", async () => {
    // A credential whose user code (a vault call) never settles and ignores its signal.
    const credential = { kind: 'test', origin: org.url, authorize: () => new Promise<never>(() => undefined) };
    const error: unknown = await failure(
      executeOktaRequest(() => Promise.resolve(new Request(`${org.url}/api/v1/users/${named}`)), {
        origin: org.url,
        credential,
        secrets: () => [named],
        timeoutMs: 1000,
        retry: false,
      }),
    );
    expect(isOktaAuthError(error) && error.code).toBe('TIMEOUT');
    expect((error as Error).message).toBe(`GET ${new URL(org.url).host}/api/v1/users/[redacted …6789]: the credential's authorize did not settle within 1000 ms (timeoutMs); nothing was sent.`);
    expect(everything(error, [])).not.toContain(named);
    expect(org.counters().requests).toEqual({});
  });
});
