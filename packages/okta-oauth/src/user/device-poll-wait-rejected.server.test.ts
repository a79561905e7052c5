/**
 * `poll({ onWait })` with an async callback (rev167a M3), over real HTTP: a promise the callback
 * returns is not awaited (the waits are Okta's pace), but its rejection ends `poll()` with that very
 * error, as a throw does: the wait it rejects in is cut short at once; a poll request in flight is
 * let finish (Okta may be issuing the tokens: they are handed out, the rejection dropped; any other
 * answer ends the poll with the rejection). It was dropped, an unhandled rejection (Node.js exits on one by default), while the
 * poll went on. Every test reads the unhandled rejections (`useUnhandledRejections`): none.
 */
import { useUnhandledRejections } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import type { DevicePollWait } from './device-poll.js';
import { deviceAnswer, deviceClient, useDeviceOrg } from './test-helpers/device-client.js';
import { login } from './test-helpers/sign-in-org.js';

const env = useDeviceOrg();
const tokenPath = '/oauth2/v1/token';

const unhandled = useUnhandledRejections();

class UiFailed extends Error {}

describe('poll({ onWait }) whose promise rejects', () => {
  it('ends a real device sign-in with the rejection, as a throw does: no unhandled rejection, and a later poll() goes on', async () => {
    const { client } = deviceClient(env.org);
    const device = await client.startDeviceSignIn();
    const failed = new UiFailed('my UI update failed');
    const onWait = async (): Promise<void> => {
      await Promise.resolve();
      throw failed;
    };
    expect(await device.poll({ onWait }).catch((e: unknown) => e)).toBe(failed);
    expect(await unhandled.settled()).toEqual([]);

    // The sign-in is not ended by it: the user approves, the next poll() hands out the tokens.
    env.org.approveDevice(device.userCode, login);
    const { tokens } = await device.poll();
    expect(tokens.accessToken).toBeDefined();
  });

  it('cuts the wait it rejects in short, asking Okta nothing more (the wait is not awaited first)', async () => {
    // The client's own sleep (abortable, real timers): the 5 s wait would end in a poll request.
    const { client } = deviceClient(env.org, { sleep: undefined });
    deviceAnswer(env.org);
    const device = await client.startDeviceSignIn();
    env.org.resetCounters();
    const failed = new UiFailed('late');
    let reject: (error: unknown) => void = () => undefined;
    const told: DevicePollWait[] = [];
    const onWait = (state: DevicePollWait): Promise<void> => {
      told.push(state);
      return new Promise<void>((_resolve, rejectIt) => {
        reject = rejectIt;
      });
    };
    const polled = device.poll({ onWait }).catch((e: unknown) => e);
    expect(told.map((s) => s.reason)).toEqual(['interval']);
    reject(failed);
    expect(await polled).toBe(failed);
    expect(env.org.counters().requests[`POST ${tokenPath}`]).toBeUndefined();
    expect(await unhandled.settled()).toEqual([]);
  });

  it('lets the poll request in flight finish when it rejects then: a "not yet" answer ends the poll with the rejection', async () => {
    let reject: (error: unknown) => void = () => undefined;
    const failed = new UiFailed('during the request');
    const fetch: typeof globalThis.fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).endsWith(tokenPath)) reject(failed);
      return globalThis.fetch(input, init);
    };
    const { client } = deviceClient(env.org, { fetch });
    deviceAnswer(env.org);
    const device = await client.startDeviceSignIn();
    const onWait = (): Promise<void> =>
      new Promise<void>((_resolve, rejectIt) => {
        reject = rejectIt;
      });
    expect(await device.poll({ onWait }).catch((e: unknown) => e)).toBe(failed);
    expect(await unhandled.settled()).toEqual([]);
  });

  it('hands out the tokens Okta issued to the poll request in flight when it rejects then, the device code never spent for nothing (rev167d M1)', async () => {
    // It aborted the request: Okta issued the tokens, poll() rejected, and the next poll() was invalid_grant.
    let reject: (error: unknown) => void = () => undefined;
    const fetch: typeof globalThis.fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).endsWith(tokenPath)) reject(new UiFailed('as the tokens came'));
      return globalThis.fetch(input, init);
    };
    const { client } = deviceClient(env.org, { fetch });
    const device = await client.startDeviceSignIn();
    env.org.approveDevice(device.userCode, login);
    const onWait = (): Promise<void> =>
      new Promise<void>((_resolve, rejectIt) => {
        reject = rejectIt;
      });
    const { tokens } = await device.poll({ onWait });
    expect(tokens.accessToken).toBeDefined();
    expect(await unhandled.settled()).toEqual([]);
  });

  it('drops a rejection that comes after the poll ended (nobody is left to get it), unhandled never', async () => {
    const { client } = deviceClient(env.org);
    deviceAnswer(env.org);
    const device = await client.startDeviceSignIn();
    env.org.injectFault({ path: tokenPath, kind: 'status', status: 400, body: { error: 'access_denied' }, count: 1 });
    let reject: (error: unknown) => void = () => undefined;
    const onWait = (): Promise<void> =>
      new Promise<void>((_resolve, rejectIt) => {
        reject = rejectIt;
      });
    expect(await device.poll({ onWait }).catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED' });
    reject(new UiFailed('after the end'));
    expect(await unhandled.settled()).toEqual([]);
  });
});
