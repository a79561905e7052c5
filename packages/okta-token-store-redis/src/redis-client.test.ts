import { describe, expect, it } from 'vitest';
import { createRedisRateLimitCoordinator, createRedisTokenStorage } from './index.js';

const client = { sendCommand: () => Promise.resolve(null) };
const encryption = { current: 'k1', keys: { k1: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' } };

/** The typed INVALID_CONFIG error whose message starts with `message`. */
const invalidConfig = (message: string) => expect.objectContaining({ name: 'OktaRedisStoreError', code: 'INVALID_CONFIG', message: expect.stringMatching(new RegExp(`^${message}`)) });

describe('the connection options every Redis part shares', () => {
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('commandTimeoutMs %s is INVALID_CONFIG naming it, for the token storage and the rate-limit coordinator alike', (commandTimeoutMs) => {
    const expected = invalidConfig('commandTimeoutMs must be a positive number of milliseconds\\.$');
    expect(() => createRedisTokenStorage({ client, encryption, commandTimeoutMs })).toThrow(expected);
    expect(() => createRedisRateLimitCoordinator({ client, commandTimeoutMs })).toThrow(expected);
  });

  it('the token storage tells the credential to bound its calls above its own command timeout', () => {
    expect(createRedisTokenStorage({ client, encryption }).timeoutMs).toBe(1000);
    expect(createRedisTokenStorage({ client, encryption, commandTimeoutMs: 2500 }).timeoutMs).toBe(5000);
  });

  it('a client with neither sendCommand nor call is INVALID_CONFIG for both', () => {
    const none = {} as typeof client;
    expect(() => createRedisTokenStorage({ client: none, encryption })).toThrow(invalidConfig('client must be'));
    expect(() => createRedisRateLimitCoordinator({ client: none })).toThrow(invalidConfig('client must be'));
  });

  it('the prefix goes in front of every key, with the same default', async () => {
    const sent: string[][] = [];
    const recording = { sendCommand: (args: string[]) => (sent.push(args), Promise.resolve(0)) };
    await createRedisRateLimitCoordinator({ client: recording }).reserve({ origin: 'https://acme.okta.com', bucket: '/api/v1/users' });
    await createRedisRateLimitCoordinator({ client: recording, prefix: 'billing:' }).reserve({ origin: 'https://acme.okta.com', bucket: '/api/v1/users' });
    expect(sent.map((args) => args[3]?.replace(/:[\w-]{43}$/, ':…'))).toEqual(['okta:rl:v1:…', 'billing:rl:v1:…']);
  });
});
