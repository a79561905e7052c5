import { describe, expect, it } from 'vitest';
import { browserHint } from './browser-hint.js';

describe('browserHint', () => {
  it("answers Okta's browser-request refusals only, never the Trusted Origins one nor another error's", () => {
    const browser = 'Browser requests to the token endpoint may only use the authorization_code grant_type.';
    expect(browserHint('unauthorized_client', browser)).toMatch(/^ A page may use the authorization code grant only/);
    expect(browserHint('unauthorized_client', 'The client is not authorized to use the provided grant type.')).toBeUndefined();
    expect(browserHint('invalid_request', 'Browser requests to the token endpoint must be made from one of the registered Trusted Origins.')).toBeUndefined();
    for (const error of [undefined, 'constructor', 'invalid_grant']) expect(browserHint(error, browser), String(error)).toBeUndefined();
    // Told by how Okta's description begins: not by one that quotes it, nor by none.
    expect(browserHint('unauthorized_client', `The proxy refused: ${browser}`)).toBeUndefined();
    expect(browserHint('unauthorized_client', undefined)).toBeUndefined();
  });
});
