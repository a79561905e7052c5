import { redactHeaders } from '@org/okta-auth-core';

/** Where `--verbose` writes: stderr, so stdout keeps only data. */
export type LineWriter = (line: string) => void;

function shown(url: URL): string {
  // OAuth endpoints: the path only (a query there could carry a code or state); API calls: the URL as typed.
  return url.pathname.startsWith('/oauth2/') && url.search !== '' ? `${url.origin}${url.pathname}?…` : url.href;
}

function headerLines(prefix: string, headers: Headers): string[] {
  return Object.entries(redactHeaders(headers)).map(([name, value]) => `${prefix} ${name}: ${value}`);
}

/**
 * A `fetch` that prints each request and response line with its headers,
 * credentials masked by core's `redactHeaders` (`authorization: SSWS [redacted …abcd]`,
 * `dpop: [redacted …]`). Bodies are never printed: a token request's body holds
 * a client assertion or secret.
 */
export function verboseFetch(write: LineWriter, inner: () => typeof fetch = () => globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    write([`> ${request.method} ${shown(url)}`, ...headerLines('>', request.headers)].join('\n'));
    try {
      const response = await inner()(request);
      write([`< ${response.status} ${request.method} ${shown(url)}`, ...headerLines('<', response.headers)].join('\n'));
      return response;
    } catch (error) {
      write(`< no answer: ${request.method} ${shown(url)} (${error instanceof Error ? error.name : 'error'})`);
      throw error;
    }
  };
}
