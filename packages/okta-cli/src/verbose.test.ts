/**
 * `--verbose`'s masks of an echoed secret: nothing of its characters, whatever they are. A secret
 * whose last four characters hold `]` (a client secret an admin set, a password in a form) ended
 * core's mask early, and the mask's rewrite to `[redacted]` left the characters after it.
 */
import { expect, it } from 'vitest';
import { verboseFetch } from './verbose.js';

it('an echoed secret ending in "]" and more shows none of its characters', async () => {
  const secrets = ['a-client-secret-set-by-an-admin]xyz', 'an-api-token-of-26-chars]pq'];
  const lines: string[] = [];
  const echo = () => (() => Promise.resolve(new Response('{}', { headers: { 'x-echo': `secret ${secrets[0]} token ${secrets[1]}` } }))) as typeof fetch;
  await verboseFetch((line) => lines.push(line), echo)('https://acme.okta.com/api/v1/users', {
    method: 'POST',
    headers: { authorization: `SSWS ${secrets[1]}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_secret: secrets[0] ?? '' }).toString(),
  });
  const out = lines.join('\n');
  expect(out).toContain('x-echo: secret [redacted] token [redacted]');
  for (const secret of secrets) expect(out).not.toContain(secret.slice(-3));
});

it("a token request's code and code_verifier (login --browser) are not shown: no body, an echo of either masked", async () => {
  const [code, verifier] = ['authorization-code-0123456wxy', 'pkce-verifier-abcdefghijklmnopqrstuvwxyz0123456789'];
  const lines: string[] = [];
  const echo = () => (() => Promise.resolve(new Response('{}', { headers: { 'x-echo': `${code} ${verifier}` } }))) as typeof fetch;
  await verboseFetch((line) => lines.push(line), echo)('https://acme.okta.com/oauth2/v1/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:8765/callback', code_verifier: verifier }).toString(),
  });
  const out = lines.join('\n');
  expect(out).toContain('x-echo: [redacted] [redacted]');
  for (const secret of [code, verifier]) expect(out).not.toContain(secret.slice(-4));
});
