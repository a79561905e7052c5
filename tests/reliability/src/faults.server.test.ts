/**
 * Faults: every credential type × every fault × where it happens (the token endpoint, a resource).
 * Each must end in a typed error that names the cause within a bounded number of attempts, leave
 * the token cache unpoisoned, leak no secret, and the next call after the fault clears succeeds.
 */
import { isOktaAuthError, type OktaAuthError } from '@org/okta-auth-core';
import { startEmulator, type FaultSpec, type OktaEmulator } from '@org/okta-emulator';
import type { UserCredential } from '@org/okta-oauth';
import { afterAll, describe, it, type ExpectStatic, type TestContext } from 'vitest';
import { count, listUsers, outcome } from './test-helpers/calls.js';
import { LeakHarness } from './test-helpers/leaks.js';
import { CREDENTIAL_KINDS, subject, TOKEN_KINDS, type Kind, type Subject } from './test-helpers/subjects.js';

/**
 * Each call that must succeed races this timeout with real HTTP (a first DPoP token: assertion,
 * nonce challenge, token, call): generous for a 2-core CI machine running every suite at once,
 * with this file's five tests at once sharing one event loop (3 s timed out a DPoP token's
 * recovery call there, at load 9, behind other tests' sign-ins; each signs with a new RSA key).
 */
const TIMEOUT_MS = 5000;
/** Never answers within a test: a latency fault the client must time out on (the emulator stops waiting when the client goes). */
const LATENCY_MS = 60_000;
const RETRY = { limit: 2, maxWaitMs: 3000 };
const TOKEN_PATH = '/oauth2/v1/token';
const RESOURCE_PATH = '/api/v1/users';

type Location = 'token endpoint' | 'resource';

interface Fault {
  readonly name: string;
  readonly spec: Omit<FaultSpec, 'path'>;
  /** The error codes that name this fault's cause, per location. */
  readonly codes: Record<Location, readonly string[]>;
  /** What the message must say. */
  readonly message: RegExp;
}

const FAULTS: readonly Fault[] = [
  ...[500, 502, 503].map((status) => ({
    name: `HTTP ${status}`,
    spec: { kind: 'status' as const, status },
    codes: { 'token endpoint': ['TOKEN_REQUEST_FAILED'], resource: ['API_ERROR'] },
    message: new RegExp(`\\b${status}\\b`),
  })),
  {
    name: 'a dropped connection',
    spec: { kind: 'drop' },
    codes: { 'token endpoint': ['NETWORK_ERROR'], resource: ['NETWORK_ERROR'] },
    message: /failed before Okta answered/,
  },
  {
    name: 'an answer slower than the timeout',
    spec: { kind: 'latency', latencyMs: LATENCY_MS },
    codes: { 'token endpoint': ['TIMEOUT'], resource: ['TIMEOUT'] },
    message: new RegExp(`within ${TIMEOUT_MS} ms|within the request's timeout \\(timeoutMs\\)`),
  },
  {
    name: 'a truncated body',
    spec: { kind: 'truncate' },
    // With DPoP the first answer is the nonce challenge (400); truncated, it can only be reported as a 400.
    // A page cut mid-body is a network failure, as a reset (page152; before, INVALID_RESPONSE "could not be read").
    codes: { 'token endpoint': ['INVALID_TOKEN_RESPONSE', 'TOKEN_REQUEST_FAILED'], resource: ['NETWORK_ERROR'] },
    message: /could not be read|not valid JSON|\(400\)|the connection closed before the whole answer was read/,
  },
  {
    name: 'an HTML error page',
    spec: { kind: 'html' },
    codes: { 'token endpoint': ['TOKEN_REQUEST_FAILED'], resource: ['API_ERROR'] },
    message: /\b502\b.*HTML page/,
  },
  {
    name: 'a body that is not JSON',
    spec: { kind: 'non-json' },
    codes: { 'token endpoint': ['INVALID_TOKEN_RESPONSE', 'TOKEN_REQUEST_FAILED'], resource: ['INVALID_RESPONSE'] },
    message: /not JSON|not valid JSON|\(400\)/,
  },
  {
    name: 'a 429 storm',
    spec: { kind: 'status', status: 429 },
    codes: { 'token endpoint': ['RATE_LIMITED'], resource: ['RATE_LIMITED'] },
    message: /rate limit/i,
  },
];

// Kind innermost: the tests run five at a time, and a user's sign-in is most of the file's CPU (the
// org's first ID token is signed with a new RSA key), so the five at once are mostly different kinds.
const CASES: [Kind, Location, Fault][] = [];
for (const location of ['token endpoint', 'resource'] as const) {
  for (const fault of FAULTS) {
    for (const kind of location === 'token endpoint' ? TOKEN_KINDS : CREDENTIAL_KINDS) CASES.push([kind, location, fault]);
  }
}

const totals = { tried: 0, survived: 0 };
const leaks = { artefacts: 0, forms: 0, secrets: 0, found: 0 };

afterAll(() => {
  console.log(
    `faults: ${totals.tried} tried, ${totals.survived} survived; secrets harness: ${leaks.artefacts} artefacts (${leaks.forms} printed forms) searched for up to ${leaks.secrets} sentinels, ${leaks.found} found`,
  );
});

/**
 * An org of the test's own, closed when the test ends. The tests run concurrently (vitest's
 * maxConcurrency, 5): each has its own org, subject, wire and harness, and most of a test is
 * waiting (a latency fault's timeout, retry back-offs), not work.
 */
async function org({ onTestFinished }: TestContext): Promise<OktaEmulator> {
  const started = await startEmulator({ seed: { users: 3 } });
  onTestFinished(() => started.close());
  return started;
}

/** Three seeded users and the org's seeded super admin, plus the signed-in admin for the user kind. */
function usersIn(kind: Kind): number {
  return kind === 'user' ? 5 : 4;
}

function tokenRequests(o: OktaEmulator): number {
  return count(o.counters().requests, `POST ${TOKEN_PATH}`);
}

function checkLeaks(expect: ExpectStatic, harness: LeakHarness, s: Subject): void {
  harness.addSecrets(s.wire.secrets);
  harness.addSecrets(s.known, 'known');
  const findings = harness.scan();
  leaks.artefacts += harness.scanned;
  leaks.forms += harness.formsSearched;
  leaks.secrets = Math.max(leaks.secrets, harness.secrets.size);
  leaks.found += findings.length;
  expect(findings).toEqual([]);
}

/** Nothing but complete, usable tokens was ever cached. */
function checkCache(expect: ExpectStatic, s: Subject): void {
  for (const entry of s.store?.writes ?? []) {
    expect(['Bearer', 'DPoP']).toContain(entry.tokenType);
    expect(entry.accessToken.length).toBeGreaterThan(10);
    expect(s.wire.secrets.get(entry.accessToken)).toBe('answer access_token');
    expect(entry.lifetimeMs).toBeGreaterThan(0);
  }
}

describe.concurrent.each(CASES)('%s, fault at the %s:', (kind, location, fault) => {
  it(`${fault.name} ends in a typed error naming it, bounded, without poisoning the cache; the next call succeeds`, async (context) => {
    const { expect } = context;
    totals.tried++;
    const o = await org(context);
    const harness = new LeakHarness();
    const s = await subject(o, kind, { timeoutMs: TIMEOUT_MS, retry: RETRY, logger: harness.logger(kind), expired: location === 'token endpoint' });
    if (location === 'resource') expect(await listUsers(s.okta)).toHaveLength(usersIn(kind));
    const writesBefore = s.store?.writes.length ?? 0;
    const userTokensBefore = kind === 'user' ? (s.credential as UserCredential).tokens : undefined;
    o.resetCounters();

    o.injectFault({ path: location === 'token endpoint' ? TOKEN_PATH : RESOURCE_PATH, ...fault.spec });
    const during = await outcome(listUsers(s.okta));
    const counted = o.counters().requests;

    // A typed error that names the cause.
    expect(during.ok).toBe(false);
    const error = (during as { error: unknown }).error;
    harness.collect(`${kind} ${location} ${fault.name}`, error);
    expect(isOktaAuthError(error), String(error)).toBe(true);
    const typed = error as OktaAuthError<string>;
    expect(fault.codes[location]).toContain(typed.code);
    expect(typed.message).toMatch(fault.message);
    // Bounded: at most the allowed 429 retries plus one challenge retry, per endpoint.
    expect(count(counted, `POST ${TOKEN_PATH}`)).toBeLessThanOrEqual(RETRY.limit + 2);
    expect(count(counted, `GET ${RESOURCE_PATH}`)).toBeLessThanOrEqual(location === 'resource' ? RETRY.limit + 2 : 0);
    // The cache is not poisoned: nothing was written during the fault, and a user's tokens are kept.
    expect(s.store?.writes.length ?? 0).toBe(writesBefore);
    if (kind === 'user') expect((s.credential as UserCredential).tokens).toBe(userTokensBefore);

    // The fault clears (and what was in flight during it ends): the next call succeeds.
    o.clearFaults();
    await s.wire.settled();
    o.resetCounters();
    expect(await listUsers(s.okta)).toHaveLength(usersIn(kind));
    if (location === 'resource') expect(tokenRequests(o)).toBe(0);
    else expect(Object.values(o.counters().tokenRequests).reduce((n, byOutcome) => n + (byOutcome.success ?? 0), 0)).toBe(1);
    checkCache(expect, s);
    checkLeaks(expect, harness, s);
    totals.survived++;
  });
});

const CLOCK_CASES = CREDENTIAL_KINDS.flatMap((kind) => [[kind, 300] as const, [kind, -300] as const]);
describe.concurrent.each(CLOCK_CASES)('%s, org clock off by %i s:', (kind, offset) => {
  async function skewed(context: TestContext): Promise<{ o: OktaEmulator; s: Subject; harness: LeakHarness }> {
    const { expect } = context;
    const o = await org(context);
    const harness = new LeakHarness();
    const s = await subject(o, kind, { timeoutMs: TIMEOUT_MS, retry: RETRY, logger: harness.logger(kind), expired: true });
    o.setClockOffset(offset);
    const during = await outcome(listUsers(s.okta));
    if (!during.ok) {
      // Recovery, or a typed error that names the clock.
      harness.collect(`${kind} clock ${offset}`, during.error);
      expect(isOktaAuthError(during.error), String(during.error)).toBe(true);
      expect((during.error as Error).message).toMatch(/clock|iat|exp/i);
    }
    expect(tokenRequests(o)).toBeLessThanOrEqual(kind === 'ssws' ? 0 : 4);
    return { o, s, harness };
  }

  it('token requests, proofs and calls recover or fail with a typed error naming the clock, within a bounded number of requests', async (context) => {
    totals.tried++;
    const { s, harness } = await skewed(context);
    checkCache(context.expect, s);
    checkLeaks(context.expect, harness, s);
    totals.survived++;
  });

  it('once the clocks agree again, the next call succeeds', async (context) => {
    const { expect } = context;
    const { o, s, harness } = await skewed(context);
    o.setClockOffset(0);
    expect(await listUsers(s.okta)).toHaveLength(usersIn(kind));
    checkCache(expect, s);
    checkLeaks(expect, harness, s);
  });
});

describe.concurrent.each(TOKEN_KINDS)('%s:', (kind) => {
  // Found by this suite and fixed: the token wait cut by the attempt's timeout was reported as ABORTED.
  it('a token endpoint slower than timeoutMs is reported as TIMEOUT, not ABORTED', async (context) => {
    const { expect } = context;
    const o = await org(context);
    const s = await subject(o, kind, { timeoutMs: TIMEOUT_MS, expired: true });
    o.injectFault({ path: TOKEN_PATH, kind: 'latency', latencyMs: LATENCY_MS });
    const during = await outcome(listUsers(s.okta));
    expect((during as { error?: { code?: string } }).error?.code).toBe('TIMEOUT');
    await s.wire.settled();
  });
});
