/**
 * An answer handed on with its body keeps its attempt's timer armed, because `timeoutMs` bounds the
 * caller's read of that body; once the caller has read the body to its end (by any reading method, or
 * the `body` stream to `done`), or cancelled it, the timer is cleared and the call leaves the caller's
 * signal (timer161). Before, the timer, its controller and the call's entry on a shared caller signal
 * stayed until `timeoutMs` (30 s by default) ran out, for every call: thousands of armed timers in a
 * busy process. A body not read to its end is still bounded by `timeoutMs`, an answer cloned keeps its
 * bound until `timeoutMs` (its branches are one download: rev161), and the caller's abort still ends a read. `oktaKyHooks` arms no timer on the
 * answer it passes on (its authorize timer is cleared once the attempt is authorized): its rows hold
 * that. Through every driver, over a scripted server; the timers are fired by the test, never waited for.
 */
import { json } from '@org/okta-test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { maxTimerMs } from './abort.js';
import { executeOktaRequest } from './execute.js';
import { paginate } from '../pagination/paginate.js';
import { watchAttemptTimers } from '../test-helpers/attempt-timers.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';
import { watchListeners } from '../test-helpers/signal-listeners.js';

const okta = useScriptedServer((request, res) => {
  if (request.path === '/api/v1/form') {
    res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' });
    res.end('a=1');
  } else if (request.path === '/api/v1/stall') {
    // The headers and the body's first bytes, then nothing.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"ok":');
  } else json(res, 200, [{ ok: true }]);
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Long, so the headers come however loaded the machine: the test fires a timer itself when it must. */
const timeoutMs = 30_000;

const hooks = 'ky hooks on your own instance';
const fetcher = (name: string) => drivers[name]!({ credential: countingCredential(okta.origin), timeoutMs }).pages;
/** The attempt timers a driver leaves armed on an answer it hands on: one, but `oktaKyHooks`' none. */
const armedOn = (name: string): number => (name === hooks ? 0 : 1);

/** Each way of reading a body to its end (or ending it), and the path it reads. */
const reads: [string, string, (response: Response) => Promise<unknown>][] = [
  ['text()', '/api/v1/users', (response) => response.text()],
  ['json()', '/api/v1/users', (response) => response.json()],
  ['arrayBuffer()', '/api/v1/users', (response) => response.arrayBuffer()],
  ['blob()', '/api/v1/users', (response) => response.blob()],
  ['bytes()', '/api/v1/users', (response) => (response as Response & { bytes: () => Promise<Uint8Array> }).bytes()],
  ['formData()', '/api/v1/form', (response) => response.formData()],
  [
    'the body stream read to done',
    '/api/v1/users',
    async (response) => {
      const reader = response.body!.getReader();
      while (!(await reader.read()).done);
    },
  ],
  ['the body stream cancelled', '/api/v1/users', (response) => response.body!.cancel()],
];

/** Core's listeners left on `signal` but ky's typed signal's (one per caller's signal, however many calls share it, by design). */
const callsOn = (listeners: ReturnType<typeof watchListeners>): string[][] => listeners.left().filter((names) => !names.includes('typedSignal'));

describe.each(Object.keys(drivers))('through %s', (name) => {
  it.each(reads)("an answer read by %s lets its attempt's timer go and leaves the caller's shared signal", async (_, path, read) => {
    const timers = watchAttemptTimers();
    const caller = new AbortController();
    const listeners = watchListeners(caller.signal);
    const pages = fetcher(name);
    const first = await pages(path, { signal: caller.signal });
    const second = await pages(path, { signal: caller.signal });
    expect(timers.left()).toEqual({ handedOn: 2 * armedOn(name), other: 0 });
    await read(first);
    // The other call's answer is unread: its timer still bounds it, and it still follows the signal.
    expect(timers.left()).toEqual({ handedOn: armedOn(name), other: 0 });
    await read(second);
    expect(timers.left()).toEqual({ handedOn: 0, other: 0 });
    expect(listeners.added()).toBeGreaterThan(0);
    expect(callsOn(listeners)).toEqual([]);
  });

  it('an answer cloned keeps its bound until timeoutMs, whichever branch is read: its branches are one download (rev161)', async () => {
    const timers = watchAttemptTimers();
    const response = await fetcher(name)('/api/v1/users', {});
    expect(await response.clone().json()).toEqual([{ ok: true }]);
    expect(timers.left().handedOn).toBe(armedOn(name));
    expect(await response.json()).toEqual([{ ok: true }]);
    expect(timers.left().handedOn).toBe(armedOn(name));
  });

  it("the caller's abort during the read ends it with the abort's reason, and nothing is left", async () => {
    const timers = watchAttemptTimers();
    const caller = new AbortController();
    const listeners = watchListeners(caller.signal);
    const response = await fetcher(name)('/api/v1/stall', { signal: caller.signal });
    const reading = response.text();
    const reason = new Error('stop reading');
    caller.abort(reason);
    await expect(reading).rejects.toBe(reason);
    expect(timers.left()).toEqual({ handedOn: 0, other: 0 });
    expect(callsOn(listeners)).toEqual([]);
  });

  it.each([
    ["the caller's signal", () => new AbortController().signal],
    ['no signal', () => undefined],
  ])('a walk with %s leaves no timer armed once its pages are read, and arms none of 24.8 days', async (_, signal) => {
    const timers = watchAttemptTimers();
    const given = signal();
    const items: unknown[] = [];
    for await (const item of paginate(fetcher(name), '/api/v1/users', { signal: given })) items.push(item);
    expect(items).toEqual([{ ok: true }]);
    expect(timers.left()).toEqual({ handedOn: 0, other: 0 });
    // A page whose driver recorded no bound (createOktaKy) and no signal to follow: nothing for the page's reader to bound.
    if (given === undefined) expect(timers.delays()).not.toContain(maxTimerMs);
  });
});

/** The drivers whose answer handed on carries its attempt's timer (`oktaKyHooks` arms none on it). */
const armedDrivers = Object.keys(drivers).filter((name) => name !== hooks);

describe.each(armedDrivers)('through %s, whose answer carries its timer', (name) => {
  it("a body read in part is still bounded by timeoutMs: the timer stays armed, and its firing ends the read", async () => {
    const timers = watchAttemptTimers();
    const response = await fetcher(name)('/api/v1/stall', {});
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('{"ok":');
    expect(timers.left().handedOn).toBe(1);
    timers.fireLatest();
    await expect(reader.read()).rejects.toMatchObject({ name: 'TimeoutError', message: 'timeoutMs' });
    expect(timers.left()).toEqual({ handedOn: 0, other: 0 });
  });

  it("a clone's original cancelled is not the end of the read: the clone's stalled body is still bounded by timeoutMs (rev161)", async () => {
    const timers = watchAttemptTimers();
    const response = await fetcher(name)('/api/v1/stall', {});
    // What ky does when an afterResponse hook of yours returns an answer: it cancels the one it cloned for the hook.
    const clone = response.clone();
    // Not awaited: a branch of a tee's cancel settles once both branches are cancelled.
    void response.body!.cancel();
    expect(timers.left().handedOn).toBe(1);
    const reading = clone.text();
    timers.fireLatest();
    await expect(reading).rejects.toMatchObject({ name: 'TimeoutError', message: 'timeoutMs' });
  });

  it('a body not read at all is still bounded by timeoutMs: read after the timer fired, it fails with its reason', async () => {
    const timers = watchAttemptTimers();
    const response = await fetcher(name)('/api/v1/stall', {});
    expect(timers.left().handedOn).toBe(1);
    timers.fireLatest();
    await expect(response.text()).rejects.toMatchObject({ name: 'TimeoutError', message: 'timeoutMs' });
  });
});

it("an answer whose body core read before handing it on (a token request's, read by its challenge) keeps no timer", async () => {
  const timers = watchAttemptTimers();
  const caller = new AbortController();
  const listeners = watchListeners(caller.signal);
  let read: unknown;
  const response = await executeOktaRequest(({ signal }) => Promise.resolve(new Request(`${okta.origin}/oauth2/v1/token`, { method: 'POST', body: 'grant_type=x', signal })), {
    origin: okta.origin,
    timeoutMs,
    signal: caller.signal,
    challenge: async (answer) => {
      read = await answer.json();
      return false;
    },
  });
  expect([response.status, read]).toEqual([200, [{ ok: true }]]);
  expect(timers.left()).toEqual({ handedOn: 0, other: 0 });
  expect(listeners.added()).toBeGreaterThan(0);
  expect(callsOn(listeners)).toEqual([]);
});
