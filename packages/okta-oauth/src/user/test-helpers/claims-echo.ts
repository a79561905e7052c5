/**
 * For the tests of claims that echo a request's secrets (`id-token-echo.server.test.ts`,
 * `claims-echo-renewal.server.test.ts`): a `fetch` that writes chosen claims into the token
 * endpoint's ID token, where a claim carries a value, and every way a refusal can be shown.
 */
import { inspect } from 'node:util';

/** What one token request sent, and the tokens its answer brought (as Okta sent them). */
export interface TokenExchange {
  readonly form: URLSearchParams;
  readonly headers: Headers;
  readonly answer: Readonly<Record<string, unknown>>;
}

/** Every way an error (or anything an app holds) can be shown: its message, JSON, `util.inspect`, its cause's, its stack. */
export const shown = (value: unknown): string => {
  const e = value as { message?: unknown; cause?: unknown; stack?: unknown };
  return [String(e.message), JSON.stringify(value), inspect(value, { depth: 10, showHidden: true }), inspect(e.cause, { depth: 10 }), String(e.stack)].join('\n');
};

/**
 * A `fetch` that sends every request to the org and, in a 200 of the token endpoint with an ID token,
 * adds `claims(exchange)` (an object, or JSON members as text) to that token's payload (its header and signature as they were: a client that
 * checks the signature refuses it for that); `exchanges` holds each token request's form and headers
 * and the tokens Okta answered.
 */
export function echoingFetch(claims: (exchange: TokenExchange) => Record<string, unknown> | string): { fetch: typeof fetch; exchanges: TokenExchange[] } {
  const exchanges: TokenExchange[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname !== '/oauth2/v1/token') return fetch(request);
    const form = new URLSearchParams(await request.clone().text());
    const real = await fetch(request);
    if (!real.ok) return real;
    const answer = (await real.json()) as Record<string, unknown>;
    exchanges.push({ form, headers: new Headers(request.headers), answer: { ...answer } });
    if (typeof answer.id_token === 'string') {
      const [header, payload, signature] = answer.id_token.split('.');
      const text = Buffer.from(payload ?? '', 'base64url').toString();
      const added = claims(exchanges.at(-1)!);
      // A string is JSON members written into the payload as they are (a nesting too deep for JSON.stringify).
      const echoed = typeof added === 'string' ? `${text.slice(0, -1)},${added}}` : JSON.stringify({ ...(JSON.parse(text) as object), ...added });
      answer.id_token = `${header}.${Buffer.from(echoed).toString('base64url')}.${signature}`;
    }
    const headers = new Headers(real.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(answer), { status: real.status, headers });
  };
  return { fetch: wrapped, exchanges };
}

/** Where a claim carries a value: as part of a claim's value, deep inside a nested claim, or as a claim's name. */
export const placings: Readonly<Record<string, (value: string) => Record<string, unknown>>> = {
  'a claim value': (value) => ({ name: `Ada ${value}` }),
  'a nested claim': (value) => ({ address: { street_address: ['1 Main St', { note: value }] } }),
  'a claim name': (value) => ({ [value]: true }),
};
