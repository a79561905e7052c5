/**
 * Storages of the tests' own whose writes land when the test says, for the user credential's
 * storage races: one write held at a gate, and a round trip to let what follows it happen.
 */
import type { OktaEmulator } from '@org/okta-emulator';

/** A point user code (a storage call, `onTokens`, a held answer) stops at until the test opens it; `reach()` tells the test it got there. */
export function gate(): { open: () => void; opened: Promise<void>; reach: () => void; reached: Promise<void> } {
  let open: () => void = () => undefined;
  let reach: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (reach = resolve));
  return { open, opened, reach, reached };
}

/** What a remote store takes: a round trip (to the org, standing in for one). */
export async function roundTrip(org: OktaEmulator): Promise<void> {
  await (await fetch(new URL('/.well-known/openid-configuration', org.url))).body?.cancel();
}

/**
 * Storage over a map whose `held`-th `set()` (counting from 1) waits for the test's `open()`:
 * its value reaches the map only then (`'write'`: a slow store), or at once with the call
 * settling only then (`'ack'`: a store that answers once a replica confirms).
 */
export function lateStorage(held: number, late: 'write' | 'ack' = 'write') {
  const saved = new Map<string, string>();
  const { open, opened } = gate();
  let sets = 0;
  return {
    saved,
    open,
    /** What the map holds (one key). */
    stored: () => saved.values().next().value,
    storage: {
      get: (key: string) => saved.get(key),
      async set(key: string, value: string) {
        const holding = ++sets === held;
        if (holding && late === 'write') await opened;
        saved.set(key, value);
        if (holding) await opened;
      },
      remove: (key: string) => void saved.delete(key),
    },
  };
}

/**
 * A credential's first write, then `renewals` forced renewals whose writes the test's storage
 * holds past `timeoutMs`: what each renewal ended with (`'TIMEOUT'`, or `'ok'`).
 */
export async function renewalsPastHeldWrites(credential: { getAccessToken(options?: { forceRefresh?: boolean }): Promise<unknown> }, renewals = 2): Promise<string[]> {
  await credential.getAccessToken();
  const outcomes: string[] = [];
  for (let i = 0; i < renewals; i++) {
    outcomes.push(await credential.getAccessToken({ forceRefresh: true }).then(() => 'ok', (error: unknown) => (error as { code?: string }).code ?? String(error)));
  }
  return outcomes;
}
