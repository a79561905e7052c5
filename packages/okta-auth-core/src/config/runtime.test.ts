import { describe, expect, it } from 'vitest';
import { envLineBreaks } from './runtime.js';

describe('envLineBreaks', () => {
  // The one reading of a variable's escaped line breaks, for okta-oauth's key reader and the CLI's privateKey alike.
  it('reads a literal \\n and \\r\\n (a Windows .env file) as a line break, and leaves the rest as it is', () => {
    expect(envLineBreaks('-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----')).toBe('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----');
    expect(envLineBreaks('-----BEGIN PRIVATE KEY-----\\r\\nabc\\r\\n-----END PRIVATE KEY-----')).toBe('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----');
    expect(envLineBreaks('a\nb\\rc\\\\')).toBe('a\nb\\rc\\\\');
  });
});
