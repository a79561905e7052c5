import { redactHeaders } from '@org/okta-auth-core';
import { requestSecrets, scrub, unprintable } from '@org/okta-auth-core/internal';

/** Where `--verbose` writes: stderr, so stdout keeps only data. */
export type LineWriter = (line: string) => void;

/**
 * Core's `scrub` (its one list of what to find), each of its masks, `[redacted …abcd]`, made whole:
 * of `Basic base64(id:secret)` the last four characters are up to three bytes of the client secret,
 * and of any echoed secret its own characters. `--verbose` output is pasted into tickets and chats:
 * it shows nothing of a secret (nor does `--follow`'s resume line). Each secret's own mask is replaced (as `scrub` made it), not a
 * pattern of masks: a secret whose last four characters hold `]` ended such a pattern early.
 */
export function hidden(text: string, secrets: readonly string[]): string {
  let out = scrub(text, secrets);
  for (const secret of secrets) {
    const mask = scrub(secret, [secret]);
    if (mask !== secret) out = out.split(mask).join('[redacted]');
  }
  return out;
}

function shown(url: URL, secrets: readonly string[]): string {
  // OAuth endpoints: the path only (a query there could carry a code or state); API calls: the URL
  // as typed or linked, scrubbed of what the request carried (a next link is the org's choice).
  return hidden(url.pathname.startsWith('/oauth2/') && url.search !== '' ? `${url.origin}${url.pathname}?…` : url.href, secrets);
}

/**
 * One header's value as `--verbose` shows it. A credential header (core's `redactHeaders` decides
 * which, and keeps an `Authorization` scheme) becomes its scheme and the credential's length:
 * `Basic [redacted, 72 chars]` (a length tells an empty or cut credential from a whole one, and
 * nothing of its characters). Any other value is scrubbed of `secrets` (an answer can echo what was sent).
 */
function headerValue(name: string, value: string, secrets: readonly string[]): string {
  const masked = redactHeaders({ [name]: value })[name] ?? '';
  if (masked === value) return hidden(value, secrets);
  const scheme = masked.slice(0, Math.max(masked.indexOf('[redacted'), 0));
  return `${scheme}[redacted, ${value.length - scheme.length} chars]`;
}

/**
 * Header lines, credential headers masked ({@link headerValue}), and each run of core's
 * `unprintable` flattened to a space (Node.js passes bytes 0x80-0x9F of a header as Latin-1 C1
 * controls, such as an 8-bit CSI).
 */
function headerLines(prefix: string, headers: Headers, secrets: readonly string[] = []): string[] {
  return [...headers].map(([name, value]) => `${prefix} ${name}: ${headerValue(name, value, secrets).replace(unprintable, ' ')}`);
}

/**
 * A `fetch` that prints each request and response line with its headers,
 * credentials masked whole (`authorization: SSWS [redacted, 42 chars]`,
 * `dpop: [redacted, 640 chars]`), and the answer's headers scrubbed of what the request carried (core's
 * `requestSecrets`: an answer can echo the token in any header). Bodies are never printed: a
 * token request's body holds a client assertion or secret.
 */
export function verboseFetch(write: LineWriter, inner: () => typeof fetch = () => globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    // What was sent, as core lists it: the credential headers and a form's secret fields.
    const secrets = requestSecrets(request.headers, request.body === null ? '' : await request.clone().text());
    write([`> ${request.method} ${shown(url, secrets)}`, ...headerLines('>', request.headers)].join('\n'));
    try {
      const response = await inner()(request);
      write([`< ${response.status} ${request.method} ${shown(url, secrets)}`, ...headerLines('<', response.headers, secrets)].join('\n'));
      return response;
    } catch (error) {
      write(`< no answer: ${request.method} ${shown(url, secrets)} (${error instanceof Error ? error.name : 'error'})`);
      throw error;
    }
  };
}
