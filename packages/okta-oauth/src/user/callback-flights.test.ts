import { devtoolsView } from '@org/okta-test-utils/devtools-view';
import { describe, expect, it } from 'vitest';
import { CallbackFlights } from './callback-flights.js';

describe('CallbackFlights', () => {
  it('shares a flight only with an identical caller, refuses any other, and refuses the transaction once used', async () => {
    let now = 0;
    const flights = new CallbackFlights<string>(() => now, 1000);
    let runs = 0;
    const start = () => Promise.resolve(`result-${++runs}`);
    const first = flights.run('state-a', 'fp-1', start);
    expect(flights.run('state-a', 'fp-1', start)).toBe(first);
    await expect(flights.run('state-a', 'fp-2', start)).rejects.toMatchObject({ code: 'STATE_MISMATCH', message: expect.stringMatching(/already being finished/) });
    expect(await first).toBe('result-1');
    await expect(flights.run('state-a', 'fp-1', start)).rejects.toMatchObject({ code: 'STATE_MISMATCH', message: expect.stringMatching(/already used/) });
    expect(await flights.run('state-b', 'fp-1', start)).toBe('result-2');
    // Forgotten once it would be refused as too old anyway.
    now = 1001;
    expect(await flights.run('state-a', 'fp-1', start)).toBe('result-3');
  });

  it("shows no flight's fingerprint (the PKCE verifier, the code) to a V8 inspector (DevTools, workerd's) while it runs", async () => {
    const flights = new CallbackFlights<string>(() => 0, 1000);
    let finish: (value: string) => void = () => undefined;
    const fingerprint = JSON.stringify([['state-a', 'nonce', 'verifierSentinel-0123456789'], ['codeSentinel-0123456789']]);
    const running = flights.run('state-a', fingerprint, () => new Promise<string>((resolve) => (finish = resolve)));
    expect(flights.run('state-a', fingerprint, () => Promise.resolve('other'))).toBe(running);
    const shown = await devtoolsView(flights);
    expect(shown).toContain('CallbackFlights');
    expect(shown).not.toContain('verifierSentinel');
    expect(shown).not.toContain('codeSentinel');
    finish('done');
    expect(await running).toBe('done');
  });

  it('marks a failed flight used too', async () => {
    const flights = new CallbackFlights<string>(() => 0, 1000);
    await expect(flights.run('s', 'f', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(flights.run('s', 'f', () => Promise.resolve('x'))).rejects.toMatchObject({ code: 'STATE_MISMATCH' });
  });
});
