import { describe, expect, it } from 'vitest';
import { createRedisRateLimitCoordinator, createRedisTokenStorage, isOktaRedisStoreError } from './index.js';

const client = { sendCommand: () => Promise.resolve(null) };
const encryption = { current: 'k1', keys: { k1: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' } };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isOktaRedisStoreError(error) ? `${error.code}: ${error.message}` : `not typed: ${String(error)}`;
  }
  return undefined;
}

describe('the connection options every Redis part shares', () => {
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('commandTimeoutMs %s is INVALID_CONFIG naming it, for the token storage and the rate-limit coordinator alike', (commandTimeoutMs) => {
    const expected = 'INVALID_CONFIG: commandTimeoutMs must be a positive number of milliseconds.';
    expect(codeOf(() => createRedisTokenStorage({ client, encryption, commandTimeoutMs }))).toBe(expected);
    expect(codeOf(() => createRedisRateLimitCoordinator({ client, commandTimeoutMs }))).toBe(expected);
  });

  it('a client with neither sendCommand nor call is INVALID_CONFIG for both', () => {
    const none = {} as typeof client;
    expect(codeOf(() => createRedisTokenStorage({ client: none, encryption }))).toMatch(/^INVALID_CONFIG: client must be/);
    expect(codeOf(() => createRedisRateLimitCoordinator({ client: none }))).toMatch(/^INVALID_CONFIG: client must be/);
  });

  it('the prefix goes in front of every key, with the same default', async () => {
    const sent: string[][] = [];
    const recording = { sendCommand: (args: string[]) => (sent.push(args), Promise.resolve(0)) };
    await createRedisRateLimitCoordinator({ client: recording }).reserve({ origin: 'https://acme.okta.com', bucket: '/api/v1/users' });
    await createRedisRateLimitCoordinator({ client: recording, prefix: 'billing:' }).reserve({ origin: 'https://acme.okta.com', bucket: '/api/v1/users' });
    expect(sent.map((args) => args[3]?.replace(/:[\w-]{43}$/, ':…'))).toEqual(['okta:rl:v1:…', 'billing:rl:v1:…']);
  });
});
