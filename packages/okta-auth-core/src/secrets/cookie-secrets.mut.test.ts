// Mutation testing, thirty-first round (`cookie-secrets.ts`): a cookie value loses its quotes only when
// it is wholly in quotes (RFC 6265 §4.1.1's quoted cookie-value); any other value is listed as sent.
import { describe, expect, it } from 'vitest';
import { requestSecrets, scrub } from './secret.js';

describe("cookieSecrets: a value's quotes", () => {
  it('lists a value with a quote inside or at one end only as sent, so its echo as sent is masked whole', () => {
    const cookie = 'a=x"quoted-value-0123"; b="quoted-value-4567"tail; c="wholly-quoted-89"';
    const secrets = requestSecrets(new Headers({ cookie }));
    expect(secrets).toEqual(['x"quoted-value-0123"', '"quoted-value-4567"tail', 'wholly-quoted-89']);
    expect(scrub('saw x"quoted-value-0123" and "quoted-value-4567"tail', secrets)).toBe('saw [redacted] and [redacted]');
  });
});
