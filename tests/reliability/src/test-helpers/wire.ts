/**
 * A fetch that sends for real and records, off the wire, every secret that crosses it:
 * API tokens, client secrets, client assertions, access/refresh/ID tokens, DPoP proofs,
 * authorization codes and PKCE verifiers. The secrets harness searches everything the
 * library produced for these values.
 */
export interface Wire {
  readonly fetch: typeof fetch;
  /** Every secret value seen so far, with what it was. */
  readonly secrets: Map<string, string>;
  /** Requests sent, by path. */
  readonly sent: { method: string; url: URL; headers: Headers }[];
  /** Register a secret the test itself knows (a private key, an API token). */
  add(value: string | undefined | null, label: string): void;
  tokenRequests(): number;
  /** The secrets one request carried (its Authorization, DPoP proof and form fields). */
  secretsOf(request: Request): string[];
  /** Resolves once no request sent through this wire is still waiting for its answer. */
  settled(): Promise<void>;
}

const MIN_SECRET = 8;

export interface WireOptions {
  /** Rewrites a real answer (the origin tests play a hostile response this way). */
  readonly tamper?: (request: Request, response: Response) => Response | Promise<Response>;
  /** The fetch to send with; default `globalThis.fetch`. */
  readonly next?: typeof fetch;
  /** Record requests (off in the soak, to keep memory flat). */
  readonly recordRequests?: boolean;
  /** Record secrets from response bodies (token answers). Default true. */
  readonly readBodies?: boolean;
  /** Track requests in flight for `settled()` (off in the soak). Default true. */
  readonly track?: boolean;
  /** Share of resource requests whose Authorization and DPoP values are kept as sentinels (soak: a sample). Default 1. */
  readonly secretSample?: number;
}

export function createWire(options: WireOptions = {}): Wire {
  const secrets = new Map<string, string>();
  const sent: Wire['sent'] = [];
  let tokens = 0;
  const inFlight = new Set<Promise<unknown>>();
  const perRequest = new WeakMap<Request, string[]>();
  let current: string[] = [];
  const add = (value: string | undefined | null, label: string): void => {
    if (typeof value !== 'string') return;
    const v = value.trim();
    if (v.length < MIN_SECRET) return;
    current.push(v);
    if (!secrets.has(v)) secrets.set(v, label);
  };
  const fromAuthorization = (value: string | null): void => {
    if (value === null) return;
    const [scheme = '', credentials = ''] = value.split(' ');
    add(credentials, `${scheme} credentials`);
    if (scheme.toLowerCase() === 'basic') {
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      add(decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')), 'client secret');
    }
  };
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    current = [];
    perRequest.set(request, current);
    if (options.recordRequests !== false) sent.push({ method: request.method, url, headers: new Headers(request.headers) });
    const mine = current;
    const isToken = url.pathname.endsWith('/token');
    if (isToken || options.secretSample === undefined || Math.random() < options.secretSample) {
      fromAuthorization(request.headers.get('authorization'));
      add(request.headers.get('dpop'), 'DPoP proof');
    }
    if (url.pathname.endsWith('/token') || url.pathname.endsWith('/revoke') || url.pathname.endsWith('/introspect') || url.pathname.endsWith('/device/authorize')) {
      if (url.pathname.endsWith('/token')) tokens++;
      const form = new URLSearchParams(await request.clone().text());
      current = mine;
      for (const name of ['client_assertion', 'client_secret', 'refresh_token', 'code', 'code_verifier', 'token', 'device_code']) add(form.get(name), `form ${name}`);
    }
    const pending = (options.next ?? globalThis.fetch)(request);
    if (options.track !== false) {
      const tracked = pending.then(
        async (r) => {
          // The answer counts as in flight until its body is done (read, cancelled or failed).
          await r.clone().arrayBuffer().catch(() => undefined);
        },
        () => undefined,
      );
      inFlight.add(tracked);
      void tracked.finally(() => inFlight.delete(tracked));
    }
    let response = await pending;
    if (options.tamper !== undefined) response = await options.tamper(request, response);
    current = [];
    if (options.readBodies !== false && (url.pathname.endsWith('/token') || url.pathname.endsWith('/device/authorize'))) {
      try {
        const body = JSON.parse(await response.clone().text()) as Record<string, unknown>;
        for (const name of ['access_token', 'refresh_token', 'id_token', 'device_code']) add(body[name] as string | undefined, `answer ${name}`);
      } catch {
        // a faulty answer: nothing to record
      }
    }
    return response;
  };
  const settled = async (): Promise<void> => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    // Let the library's own promise chains (single-flight token requests) finish with them.
    await new Promise((resolve) => setTimeout(resolve, 20));
  };
  return { fetch: wrapped, secrets, sent, add, tokenRequests: () => tokens, settled, secretsOf: (request) => perRequest.get(request) ?? [] };
}
