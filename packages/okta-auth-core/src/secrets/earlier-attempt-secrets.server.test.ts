/**
 * A resource call sent more than once (a DPoP `use_dpop_nonce` challenge, a 429) whose last
 * answer echoes an EARLIER attempt's `Authorization` value or DPoP proof: scrubbed from the error
 * (message, fields, cause, JSON.stringify, util.inspect), the log events and `scrubAnswer`,
 * through every driver. A scripted server on 127.0.0.1 (the emulator never echoes a proof): the
 * credential gives each attempt its own token and proof (`countingCredential`), so only the
 * call's trail of attempts (`attempt-secrets.ts`) knows the first one's.
 */
import type { ServerResponse } from 'node:http';
import { failure, json } from '@org/okta-test-utils';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { scrubAnswer } from '../errors/answer.js';
import { isOktaApiError } from '../errors/api-error.js';
import { isOktaAuthError } from '../errors/errors.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import type { OktaLogEvent } from '../config/logger.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { printed } from '../test-helpers/printed.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

const okta = useScriptedServer();

/** The first attempt's secrets, as `countingCredential` gives them (the second's end in 2). */
const first = { authorization: 'Test secret-token-value-1', token: 'secret-token-value-1', proof: 'proof-value-number-1' };

/** The first answer: a nonce challenge (RFC 9449 §9), or a 429 retried at once. */
const firstAnswers: Record<string, (res: ServerResponse) => void> = {
  'a use_dpop_nonce challenge': (res) => json(res, 401, { errorCode: 'E0000011' }, { 'www-authenticate': 'DPoP error="use_dpop_nonce", error_description="nonce"', 'dpop-nonce': 'nonce-1' }),
  'a 429': (res) => json(res, 429, { errorCode: 'E0000047' }, { 'retry-after': '0' }),
};

/** The second answer: a 400 echoing the first attempt's token and proof everywhere an error reads. */
function echoing(res: ServerResponse): void {
  json(
    res,
    400,
    { errorCode: `E0000001 ${first.proof}`, errorSummary: `bad proof ${first.proof} for ${first.authorization}`, errorId: first.token, errorCauses: [{ errorSummary: `was ${first.proof}` }] },
    {
      'x-okta-request-id': `rid-${first.proof}`,
      'www-authenticate': `DPoP error="invalid_dpop_proof", error_description="the proof ${first.proof} of ${first.token}"`,
      location: `/api/v1/${first.proof}`,
    },
  );
}

type Driver = (credential: ReturnType<typeof countingCredential>, logger: (event: OktaLogEvent) => void) => Promise<unknown>;
const retry = { limit: 2, maxWaitMs: 5000 };
const drivers: Record<string, Driver> = {
  fetch: (credential, logger) => createOktaFetch({ credential, logger, retry })('/api/v1/users'),
  'ky instance': (credential, logger) => createOktaKy({ credential, logger, retry }).get('api/v1/users'),
  'ky hooks': (credential, logger) => ky.create({ baseUrl: `${credential.origin}/`, retry: { limit: 3, methods: [] }, hooks: oktaKyHooks({ credential, logger, retry }) }).get('api/v1/users'),
};

describe.each(Object.keys(firstAnswers))('a call retried after %s, whose last answer echoes the first attempt', (scenario) => {
  it.each(Object.keys(drivers))('scrubs the first attempt’s token and proof from the error and the log (%s)', async (driver) => {
    okta.handle((_req, res, index) => (index === 0 ? firstAnswers[scenario]!(res) : echoing(res)));
    const credential = countingCredential(okta.origin, { challenge: (response) => response.status === 401 });
    const events: OktaLogEvent[] = [];
    const error: unknown = await failure(drivers[driver]!(credential, (event) => events.push(event)));
    // Two attempts went out, each with its own token and proof: the answer echoes the first's.
    expect(okta.requests.map((request) => request.headers.dpop)).toEqual([first.proof, 'proof-value-number-2']);
    expect(isOktaApiError(error) && error.status).toBe(400);
    expect(isOktaAuthError(error) && error.code).toBe('API_ERROR');
    expect((error as Error).message).toMatch(/bad proof \[redacted\] for \[redacted …ue-1\]/);
    const shown = [error, ...events].flatMap(printed).join('\n');
    for (const secret of Object.values(first)) expect(shown).not.toContain(secret);
  });
});

describe("the answer handed back (throwHttpErrors: false) after a nonce challenge", () => {
  it("scrubAnswer knows the first attempt's proof too", async () => {
    okta.handle((_req, res, index) => (index === 0 ? firstAnswers['a use_dpop_nonce challenge']!(res) : echoing(res)));
    const credential = countingCredential(okta.origin, { challenge: (response) => response.status === 401 });
    const response = await createOktaFetch({ credential, throwHttpErrors: false })('/api/v1/users');
    expect(response.status).toBe(400);
    const text = scrubAnswer(response, await response.text());
    expect(text).toContain('"errorSummary":"bad proof [redacted] for [redacted …ue-1]"');
    for (const secret of Object.values(first)) expect(text).not.toContain(secret);
  });
});
