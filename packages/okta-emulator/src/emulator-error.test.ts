import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { registerAdminRoutes } from './controls/admin-routes.js';
import { FAULT_FIELDS } from './controls/faults.js';
import type { OktaEmulator } from './emulator-api.js';
import { checkKnownFields, isOktaEmulatorError, OktaEmulatorError, optionError, refusalOf } from './emulator-error.js';
import type { Handler } from './http/http-types.js';
import type { Router } from './http/router.js';
import { API_TOKEN_FIELDS, APP_KEY_FIELDS, LOG_EVENT_FIELDS, OIN_APP_FIELDS, REQUESTS_FIELDS, SERVICE_APP_FIELDS, SIGN_IN_APP_FIELDS, SIGN_IN_FIELDS, START_FIELDS, USER_FIELDS } from './options.js';

describe('isOktaEmulatorError', () => {
  it('knows its own errors and one from another copy of the package (the brand), as core guards its errors', () => {
    expect(isOktaEmulatorError(new OktaEmulatorError('INVALID_OPTION', 'port', 'port must be a number'))).toBe(true);
    const foreign = Object.assign(new Error('from another copy'), { code: 'INVALID_OPTION', option: 'port' });
    Object.defineProperty(foreign, Symbol.for('@org/okta-emulator/error'), { value: true });
    expect(isOktaEmulatorError(foreign)).toBe(true);
    const codeless = new Error('branded, no code');
    Object.defineProperty(codeless, Symbol.for('@org/okta-emulator/error'), { value: true });
    expect(isOktaEmulatorError(codeless)).toBe(false);
    for (const other of [new TypeError('port'), { code: 'INVALID_OPTION' }, null, 'INVALID_OPTION']) expect(isOktaEmulatorError(other)).toBe(false);
  });
});

/**
 * An unknown field's name is quoted only when shaped like one (`FIELD_SHAPE`: a token or PEM given as a
 * key never is). A misspelling of a real option must still be quoted: every name the methods and admin
 * routes take, and one letter more, is shaped like a name (an option added longer than the shape allows,
 * or with another character, would make its own misspellings unquoted).
 */
describe("checkKnownFields' quoting of every real option name", () => {
  const lists: Record<string, Readonly<Record<string, true>>> = {
    startEmulator: START_FIELDS, seed: { users: true }, createServiceApp: SERVICE_APP_FIELDS, createOinApp: OIN_APP_FIELDS,
    createSignInApp: SIGN_IN_APP_FIELDS, recordLogEvent: LOG_EVENT_FIELDS, createUser: USER_FIELDS, createApiToken: API_TOKEN_FIELDS,
    addAppKey: APP_KEY_FIELDS, injectFault: FAULT_FIELDS, signIn: SIGN_IN_FIELDS, requests: REQUESTS_FIELDS,
  };
  // The admin routes' own lists, as each route's refusal of a field it does not take names them.
  const router = { add: (method: string, template: string, handler: Handler) => {
    const request = { method, rawPath: template, url: new URL(`http://127.0.0.1${template}`), headers: {}, body: Buffer.from('{"zzUnknown":1}'), requestId: 'r', params: {} };
    // A route handing the body to a method (here one doing nothing) answers 204, with no body.
    const { body } = handler(request) as { body?: string };
    const use = / is not an option of .*?: use (.*)\.$/.exec(body ? (JSON.parse(body) as { error: string }).error : '')?.[1];
    if (use !== undefined) lists[`${method} ${template}`] = Object.fromEntries(use.split(', ').map((name) => [name, true]));
    return router;
  } };
  registerAdminRoutes(router as unknown as Router, new Proxy({}, { get: () => () => undefined }) as OktaEmulator);

  it('reads the admin routes\' own lists too', () => {
    expect(Object.keys(lists).filter((where) => where.includes('/__emulator'))).toContain('POST /__emulator/devices/approve');
  });

  it.each(Object.entries(lists))('%s: a misspelling of each option it takes is quoted', (where, fields) => {
    expect(Object.keys(fields).length).toBeGreaterThan(0);
    for (const name of Object.keys(fields)) {
      const misspelt = `${name}X`;
      expect(() => checkKnownFields({ [misspelt]: 1 }, where, fields)).toThrow(expect.objectContaining({ option: misspelt, message: expect.stringContaining(`${misspelt} is not an option`) }));
    }
  });
});

/**
 * What `optionError` built an error from (`refusalOf`, which the command rewords `startEmulator`'s refusal
 * with) is kept off the error: not a property of it, not even a symbol, so no logger or inspection that walks
 * an error's own keys (`util.inspect` with `showHidden`, `Reflect.ownKeys`, a copy of its descriptors) sees
 * the caller's value a second time, and a copy of the error is no refusal of the builder's.
 */
describe('optionError keeps its parts off the error', () => {
  it('an INVALID_OPTION error has the own keys of any OktaEmulatorError; its parts are found for it alone', () => {
    const cause = new TypeError('Invalid URL');
    const error = optionError('createSignInApp', 'redirectUris', 'must hold absolute URLs, not "not a url".', { error: cause, value: 'not a url' });
    const plain = new OktaEmulatorError('INVALID_OPTION', 'redirectUris', error.message, { cause });
    expect(Reflect.ownKeys(error)).toEqual(Reflect.ownKeys(plain));
    const shown = inspect(error, { showHidden: true, depth: 10 });
    expect(shown.split('not a url').length - 1, shown).toBe(inspect(plain, { showHidden: true, depth: 10 }).split('not a url').length - 1);
    expect(refusalOf(error)).toEqual({ where: 'createSignInApp', option: 'redirectUris', what: 'must hold absolute URLs, not "not a url".', cause: { error: cause, value: 'not a url' } });
    const copy = Object.defineProperties(new Error(error.message), Object.getOwnPropertyDescriptors(error));
    for (const other of [copy, structuredClone(error), plain, null, 'INVALID_OPTION']) expect(refusalOf(other)).toBeUndefined();
  });
});
