import { describe, expect, it } from 'vitest';
import { adminOriginAllowed } from './cors.js';

// The org's own origin is a loopback one whenever the emulator listens on 127.0.0.1 (its default, and
// every server test's): the rule for it matters when it listens on another address (`host`).
describe('adminOriginAllowed', () => {
  it("answers the org's own origin on an address that is not loopback, and no other origin there", () => {
    const orgUrl = 'http://192.0.2.10:8080';
    expect(adminOriginAllowed(undefined, orgUrl, 'http://192.0.2.10:8080')).toBe(true);
    expect(adminOriginAllowed(new Set(['https://app.example.com']), orgUrl, 'http://192.0.2.10:8080')).toBe(true);
    expect(adminOriginAllowed(undefined, orgUrl, 'http://192.0.2.10:8081')).toBe(false);
    expect(adminOriginAllowed(undefined, orgUrl, 'http://192.0.2.11:8080')).toBe(false);
  });
});
