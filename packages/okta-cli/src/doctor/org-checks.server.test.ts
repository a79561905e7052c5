/**
 * `doctor`'s bounds on what the org sends, over real HTTP to a scripted org on 127.0.0.1: the
 * discovery document read up to 256 KiB, one 15 s wait for its headers and body together, and a
 * clock 60 s or more off Okta's `Date` reported as a failure. The wait is moved, not waited for:
 * `AbortSignal.timeout` (what `checkReachable` bounds its fetch with) is given a clock the test
 * moves, and `Date` is frozen where the skew is read.
 */
import type { ServerResponse } from 'node:http';
import { parseOrgUrl, type OrgUrl } from '@org/okta-auth-core';
import { startScriptedServer, until, type ScriptedServer } from '@org/okta-test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkClock, checkReachable } from './org-checks.js';

let okta: ScriptedServer;
let org: OrgUrl;
beforeAll(async () => {
  okta = await startScriptedServer();
  org = parseOrgUrl(okta.origin, { allowInsecureLoopback: true });
});
afterAll(async () => {
  await okta.close();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A discovery document naming the scripted org, padded to exactly `size` bytes. */
function documentOf(size: number): string {
  const bare = JSON.stringify({ issuer: org.origin, pad: '' });
  return JSON.stringify({ issuer: org.origin, pad: 'x'.repeat(size - bare.length) });
}

describe('the discovery document', () => {
  it('of 256 KiB is read; one byte more is a failure saying what was answered, not a document cut short and misread', async () => {
    const kib256 = 256 * 1024;
    const findings = [];
    for (const size of [kib256, kib256 + 1]) {
      okta.handle((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(documentOf(size));
      });
      findings.push((await checkReachable(org, fetch)).finding);
    }
    expect(findings).toEqual([
      { status: 'ok', title: `Reach ${org.origin}`, detail: `discovery document found, issuer ${org.origin}` },
      {
        status: 'fail',
        title: `Reach ${org.origin}`,
        detail: "/.well-known/openid-configuration answered 200 with more than 256 KiB: Okta's discovery document is a few KiB.",
        fix: 'check that orgUrl is your Okta org (or its custom domain)',
      },
    ]);
  });
});

/** `AbortSignal.timeout` on a clock the test moves: each signal fires once the clock reaches its deadline. */
function movedTimeouts(): { advanceTo(ms: number): void; readonly fired: number } {
  let now = 0;
  const timers: { at: number; controller: AbortController }[] = [];
  vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms) => {
    const controller = new AbortController();
    timers.push({ at: now + ms, controller });
    return controller.signal;
  });
  return {
    advanceTo(ms) {
      now = ms;
      for (const { at, controller } of timers) {
        if (at <= now && !controller.signal.aborted) controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
      }
    },
    get fired() {
      return timers.filter((t) => t.controller.signal.aborted).length;
    },
  };
}

describe('the reach wait', () => {
  it('an org that never answers is a failure once 15 s have passed, not before', async () => {
    const clock = movedTimeouts();
    okta.handle(() => undefined);
    const asked = okta.requests.length;
    const result = checkReachable(org, fetch);
    await until(() => okta.requests.length > asked, 'the discovery request');
    clock.advanceTo(14_999);
    expect(clock.fired).toBe(0);
    clock.advanceTo(15_000);
    expect(clock.fired).toBe(1);
    expect((await result).finding).toEqual({
      status: 'fail',
      title: `Reach ${org.origin}`,
      detail: 'no answer: the org did not answer within 15 s.',
      fix: 'check the domain name, your network, VPN or proxy (HTTPS_PROXY)',
    });
  });

  it('headers and body share the 15 s: headers at 10 s and a body that stops halfway fail at 15 s', async () => {
    const clock = movedTimeouts();
    const held: ServerResponse[] = [];
    okta.handle((_req, res) => void held.push(res));
    let headers: (() => void) | undefined;
    const arrived = new Promise<void>((resolve) => (headers = resolve));
    const result = checkReachable(org, async (url, init) => {
      const response = await fetch(url, init);
      headers?.();
      return response;
    });
    await until(() => held.length > 0, 'the discovery request');
    clock.advanceTo(10_000);
    held[0]?.writeHead(200, { 'content-type': 'application/json' });
    held[0]?.write('{"issuer":');
    await arrived;
    clock.advanceTo(14_999);
    expect(clock.fired).toBe(0);
    clock.advanceTo(15_000);
    expect(clock.fired).toBe(1);
    expect((await result).finding).toMatchObject({ status: 'fail', detail: 'its answer (200) stopped before the end: not complete within 15 s.' });
  });
});

describe('the clock', () => {
  it("60 s or more off Okta's Date, either way, is a failure with the fix; 59 s is not", async () => {
    // Date frozen half a second into a second: the org's whole-second Date plus half a second (the
    // truncation) lands exactly on the offset.
    const second = Math.floor(Date.now() / 1000) * 1000;
    vi.useFakeTimers({ toFake: ['Date'], now: second + 500 });
    const findings: Record<number, unknown> = {};
    for (const offset of [-60, -59, 59, 60]) {
      okta.handle((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', date: new Date(second + offset * 1000).toUTCString() });
        res.end(documentOf(100));
      });
      const { skewSeconds } = await checkReachable(org, fetch);
      findings[offset] = { skewSeconds, ...checkClock(skewSeconds) };
    }
    const fix = 'synchronise the clock (timedatectl set-ntp true, or your OS time settings)';
    const refused = ': client assertions and DPoP proofs carry times Okta checks, and tools that trust the local clock will be refused.';
    expect(findings).toEqual({
      [-60]: { skewSeconds: -60, status: 'fail', title: 'Clock', detail: `this machine's clock is 60 s ahead of Okta's${refused}`, fix },
      [-59]: { skewSeconds: -59, status: 'ok', title: 'Clock', detail: "this machine's clock is 59 s ahead of Okta's" },
      59: { skewSeconds: 59, status: 'ok', title: 'Clock', detail: "this machine's clock is 59 s behind Okta's" },
      60: { skewSeconds: 60, status: 'fail', title: 'Clock', detail: `this machine's clock is 60 s behind Okta's${refused}`, fix },
    });
  });
});
