import { createHash } from 'node:crypto';
import { redactHeaders, type OktaLogEvent, type OktaLogger } from '@org/okta-auth-core';

/** A request as the demo shows it: method, URL and headers with every secret masked. */
export interface ShownRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
}

const TOKEN_PATH = '/oauth2/v1/token';

/** Okta's API, as opposed to the authorization server (`/oauth2/…`, discovery). */
function isApi(path: string): boolean {
  return path.startsWith('/api/');
}

/**
 * Counts what one step sent, from the packages' own logger events (API requests, token
 * requests, rate-limit waits) and a recording `fetch` (the first API request's headers,
 * masked; which access token went to which org, kept only as a fingerprint).
 */
export class Traffic {
  /** API requests sent (retries included), token-endpoint requests not included. */
  requests = 0;
  /** HTTP calls to the token endpoint, the DPoP nonce handshake included. */
  tokenEndpointCalls = 0;
  /**
   * Token endpoint calls answered `use_dpop_nonce` (RFC 9449 §8): Okta's first answer to a
   * DPoP token request; the client resends the same request with the nonce.
   */
  dpopNonceHandshakes = 0;
  /** Other requests to the authorization server: discovery, keys, device authorization, revocation. */
  otherOAuthRequests = 0;
  /** 429 answers received. */
  throttled = 0;
  /** Each rate-limit wait the client honoured, in ms. */
  readonly waits: number[] = [];
  /** The first API request, secrets masked. */
  firstRequest: ShownRequest | undefined;
  /** Token requests per org origin. */
  readonly tokenRequestsByOrigin = new Map<string, number>();
  /** Fingerprints of the access tokens sent to each org origin. */
  readonly tokensByOrigin = new Map<string, Set<string>>();
  readonly #rawTokens = new Map<string, string>();

  /** Runs once, just before the first API request is sent. */
  beforeFirstApiRequest: (() => void) | undefined;
  /** Told of each rate-limit wait as it starts (for the spinner). */
  onWait: ((waitMs: number) => void) | undefined;

  readonly logger: OktaLogger = (event: OktaLogEvent) => {
    if (event.type === 'backoff') {
      this.waits.push(event.waitMs);
      this.onWait?.(event.waitMs);
    }
    if (event.type === 'response' && event.status === 429) this.throttled++;
    if (event.type !== 'request') return;
    const url = new URL(event.url);
    if (url.pathname === TOKEN_PATH) {
      this.tokenEndpointCalls++;
      this.tokenRequestsByOrigin.set(url.origin, (this.tokenRequestsByOrigin.get(url.origin) ?? 0) + 1);
    } else if (isApi(url.pathname)) {
      this.requests++;
    } else {
      this.otherOAuthRequests++;
    }
  };

  readonly fetch: typeof fetch = (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request?.url ?? (input instanceof URL ? input.href : (input as string)));
    const headers = new Headers(request?.headers);
    for (const [name, value] of new Headers(init?.headers)) headers.set(name, value);
    if (isApi(url.pathname)) {
      const before = this.beforeFirstApiRequest;
      this.beforeFirstApiRequest = undefined;
      before?.();
      this.firstRequest ??= { method: init?.method ?? request?.method ?? 'GET', url: url.href, headers: redactHeaders(headers) };
      const token = /^(?:Bearer|DPoP|SSWS) (.+)$/.exec(headers.get('authorization') ?? '')?.[1];
      if (token !== undefined) {
        const print = fingerprint(token);
        this.#rawTokens.set(print, token);
        const seen = this.tokensByOrigin.get(url.origin) ?? new Set<string>();
        seen.add(print);
        this.tokensByOrigin.set(url.origin, seen);
      }
    }
    const answer = globalThis.fetch(input, init);
    if (url.pathname !== TOKEN_PATH) return answer;
    return answer.then((response) => {
      if (response.status === 400 && response.headers.has('dpop-nonce')) this.dpopNonceHandshakes++;
      return response;
    });
  };

  /** Token requests: token endpoint calls, not counting the resend of the DPoP nonce handshake. */
  get tokenRequests(): number {
    return this.tokenEndpointCalls - this.dpopNonceHandshakes;
  }

  /** The access token a fingerprint stands for, to prove it is refused elsewhere. Never printed. */
  tokenFor(print: string): string | undefined {
    return this.#rawTokens.get(print);
  }

  get waitedMs(): number {
    return this.waits.reduce((sum, ms) => sum + ms, 0);
  }
}

/** A short, one-way fingerprint of a token: enough to tell two apart, useless to an attacker. */
export function fingerprint(token: string): string {
  return `sha256:${createHash('sha256').update(token).digest('hex').slice(0, 10)}`;
}
