import { wrongArguments } from '@org/okta-test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOktaEmulatorError, startEmulator, type OktaEmulator } from './index.js';

/**
 * Every method of a started org's handle, called as a JavaScript test (no types) may call it: with
 * nothing, `null`, a number, a string or an array as each argument. Each either works (an argument
 * that is optional) or refuses with `OktaEmulatorError` saying what to give, never a runtime
 * `TypeError` such as "Cannot read properties of undefined (reading 'login')". Methods added later
 * are swept too (all but `close`).
 */

let org: OktaEmulator;
beforeAll(async () => {
  org = await startEmulator();
});
afterAll(async () => {
  await org.close();
});

/** The handle's methods but `close`, read from the started org (new ones included). */
const methodsOf = (handle: OktaEmulator) => Object.getOwnPropertyNames(Object.getPrototypeOf(handle) as object).filter((name) => name !== 'constructor' && name !== 'close');

describe("the org handle's methods, given wrong arguments", () => {
  it('sweeps the methods tests set an org up with', () => {
    for (const name of ['createApiToken', 'createServiceApp', 'createOinApp', 'createSignInApp', 'createUser', 'injectFault', 'recordLogEvent']) expect(methodsOf(org), name).toContain(name);
  });

  it('each refuses with OktaEmulatorError or works, never a TypeError', async () => {
    const untyped: string[] = [];
    for (const name of methodsOf(org)) {
      const method = (org as unknown as Record<string, unknown>)[name];
      if (typeof method !== 'function') continue;
      for (const [label, value] of wrongArguments) {
        for (const args of [[value], ['text', value]]) {
          try {
            await (method as (...a: unknown[]) => unknown).apply(org, args);
          } catch (error) {
            if (!isOktaEmulatorError(error)) untyped.push(`${name}(${args.length === 1 ? label : `'text', ${label}`}): ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
          }
        }
        // Faults a call armed are cleared: the next call meets a plain org.
        org.clearFaults();
      }
    }
    expect(untyped).toEqual([]);
  });

  it('names what to give when the options are not an object', () => {
    expect(() => org.createUser(null as never)).toThrow(/^createUser: options must be an object such as \{ login: 'ada@example\.com'/);
    expect(() => org.createSignInApp(undefined as never)).toThrow(/^createSignInApp: options must be an object such as \{ type: 'spa'/);
    expect(org.createApiToken(null as never).token).toMatch(/^00/);
  });
});
