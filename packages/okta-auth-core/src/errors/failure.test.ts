/**
 * The one typing of transport failures (`failure.ts`), every driver's: what the caller gets when
 * no answer came or its body could not be read. Over the wire, `tests/reliability` (hostile-core-*)
 * checks the same through the built packages; these pin each rule of the function itself.
 */
import { describe, expect, it, vi } from 'vitest';
import { OktaAuthError } from './errors.js';
import { attemptName, malformedAnswer, transportFailure, trustedOriginAdvice } from './failure.js';

const where = 'GET /api/v1/users';
const timeout = new DOMException('timeoutMs', 'TimeoutError');

/** A runtime error whose `code` sits `depth` causes down (undici wraps its parser error in `fetch failed`). */
function wrapped(code: string, depth: number): Error {
  let error: Error = Object.assign(new Error('parser'), { code, data: 'HTTP/1.1 400\r\nx-echo: SSWS 00secret' });
  for (let i = 0; i < depth; i++) error = new TypeError('fetch failed', { cause: error });
  return error;
}

describe('transportFailure', () => {
  it('passes our own errors through as they are', () => {
    const own = new OktaAuthError('INVALID_CONFIG', 'x');
    expect(transportFailure(own, where, AbortSignal.abort(), 1000, false)).toBe(own);
  });

  it("is ABORTED with the caller's reason as cause whenever the caller's signal fired, even for a timeout", () => {
    const reason = new Error('user left');
    const signal = AbortSignal.abort(reason);
    for (const error of [timeout, new TypeError('fetch failed'), undefined]) {
      const failure = transportFailure(error, where, signal, 1000, true);
      expect([failure.code, failure.message, failure.cause]).toEqual(['ABORTED', 'GET /api/v1/users was aborted by the caller.', reason]);
    }
  });

  it('is TIMEOUT for a TimeoutError or an AbortError, naming timeoutMs, and saying the body stalled while reading', () => {
    const abort = new DOMException('aborted', 'AbortError');
    const sending = transportFailure(timeout, where, new AbortController().signal, 2500, false);
    expect([sending.code, sending.message, sending.cause]).toEqual(['TIMEOUT', 'GET /api/v1/users got no complete answer within 2500 ms (timeoutMs).', timeout]);
    expect(transportFailure(abort, where, undefined, 2500, true).message).toBe('GET /api/v1/users got no complete answer within 2500 ms (timeoutMs): the body stalled.');
    expect(transportFailure(timeout, where, undefined, undefined, false).message).toBe("GET /api/v1/users got no complete answer within the request's timeout (timeoutMs).");
  });

  it("is TIMEOUT naming the credential's code the attempt waited on, nothing sent (resent, after a challenge), its other failures as they are", () => {
    const reason = new Error('user left');
    for (const [awaited, tail] of [['authorize', 'sent'], ['challenge', 'resent']]) {
      const failure = transportFailure(timeout, where, undefined, 300, false, [], awaited);
      expect([failure.code, failure.message, failure.cause]).toEqual(['TIMEOUT', `GET /api/v1/users: the credential's ${awaited} did not settle within 300 ms (timeoutMs); nothing was ${tail}.`, timeout]);
      expect(transportFailure(timeout, where, AbortSignal.abort(reason), 300, false, [], awaited).message).toBe('GET /api/v1/users was aborted by the caller.');
    }
    // Nothing named (a request builder's wait, a ky step past authorizing): the send's words.
    expect(transportFailure(timeout, where, undefined, 300, false, [], '').message).toBe('GET /api/v1/users got no complete answer within 300 ms (timeoutMs).');
  });

  it('is NETWORK_ERROR with its cause otherwise, saying whether the answer had begun', () => {
    const reset = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    const sending = transportFailure(reset, where, undefined, 1000, false);
    expect([sending.code, sending.message, sending.cause]).toEqual(['NETWORK_ERROR', 'GET /api/v1/users failed before Okta answered (connection refused, reset or DNS failure).', reset]);
    expect(transportFailure(reset, where, undefined, 1000, true).message).toBe('GET /api/v1/users: the connection closed before the whole answer was read.');
    // Not an object (what a wait that ended sends in), or an object without a name: not a timeout.
    for (const odd of [undefined, null, 'terminated', { code: 'ECONNRESET' }, { name: 'TypeError' }]) expect(transportFailure(odd, where, undefined, 1000, false).code).toBe('NETWORK_ERROR');
  });

  // In a browser a CORS refusal is the same bare TypeError (Chromium's "Failed to fetch"): the message names the
  // Trusted Origin to add; the browser case runs for real in okta-oauth's browser-trusted-origins.server.test.ts.
  it('names a CORS refusal and the Trusted Origin to add in a browser runtime only, and not while reading', () => {
    const refused = new TypeError('Failed to fetch');
    const browser = (reading: boolean): string => {
      vi.stubGlobal('process', undefined);
      try {
        return transportFailure(refused, where, undefined, 1000, reading).message;
      } finally {
        vi.unstubAllGlobals();
      }
    };
    expect(browser(false)).toBe(`GET /api/v1/users failed before Okta answered (connection refused, reset or DNS failure, or CORS: ${trustedOriginAdvice()}).`);
    expect(browser(true)).toBe('GET /api/v1/users: the connection closed before the whole answer was read.');
    // Okta refuses CORS to a page that sends an API token whatever its Trusted Origins (emulator FIDELITY, SUP2).
    expect(trustedOriginAdvice()).toMatch(/; an API token \(SSWS\) is refused from any page$/);
    expect(transportFailure(refused, where, undefined, 1000, false).message).toBe('GET /api/v1/users failed before Okta answered (connection refused, reset or DNS failure).');
  });

  // A browser that is offline refuses every fetch with the same bare TypeError: the likeliest cause is then no
  // Trusted Origin, but the network (`navigator.onLine`, false only where a browser knows it has none).
  it('says the device is offline, rather than naming CORS, when navigator.onLine is false', () => {
    const refused = new TypeError('Failed to fetch');
    const withNavigator = (navigator: unknown): string => {
      vi.stubGlobal('process', undefined);
      vi.stubGlobal('navigator', navigator);
      try {
        return transportFailure(refused, where, undefined, 1000, false).message;
      } finally {
        vi.unstubAllGlobals();
      }
    };
    expect(withNavigator({ onLine: false })).toBe('GET /api/v1/users failed before Okta answered (this device is offline).');
    // Online, unknown (no onLine: Node.js, workerd) or no navigator at all: the causes as before.
    for (const online of [{ onLine: true }, {}, undefined]) expect(withNavigator(online)).toBe(`GET /api/v1/users failed before Okta answered (connection refused, reset or DNS failure, or CORS: ${trustedOriginAdvice()}).`);
    // While reading, the connection is what closed, whatever the device says now.
    vi.stubGlobal('navigator', { onLine: false });
    try {
      expect(transportFailure(refused, where, undefined, 1000, true).message).toBe('GET /api/v1/users: the connection closed before the whole answer was read.');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  // localhost and 127.0.0.1 are two origins: a page says which one it is, so the Trusted Origin added is the right one.
  it("names the page's own origin as the Trusted Origin to add, and no opaque origin ('null')", () => {
    const refused = new TypeError('Failed to fetch');
    const onPage = (origin: unknown): string => {
      vi.stubGlobal('process', undefined);
      vi.stubGlobal('location', { origin });
      try {
        return transportFailure(refused, where, undefined, 1000, false).message;
      } finally {
        vi.unstubAllGlobals();
      }
    };
    expect(onPage('http://localhost:5173')).toBe(
      "GET /api/v1/users failed before Okta answered (connection refused, reset or DNS failure, or CORS: add this page's origin (http://localhost:5173) in Okta under Security > API > Trusted Origins, with CORS; an API token (SSWS) is refused from any page).",
    );
    for (const none of ['null', undefined, 42]) expect(onPage(none)).toContain("CORS: add this page's origin in Okta under Security > API > Trusted Origins, with CORS;");
  });

  // location.origin is the browser's serialization (scheme://host[:port], ASCII, never a user or a path), but
  // Chromium's for a file: page is "file://" (no Trusted Origin can be that: Okta gets `Origin: null`), and a
  // polyfilled or stubbed `location` (jsdom, happy-dom, a test) can hold anything: only an origin's shape is named.
  it("names no origin that is not shaped like one (file://, userinfo, a path, controls, 10 kB), and survives a throwing location", () => {
    const refused = new TypeError('Failed to fetch');
    const bare = "CORS: add this page's origin in Okta under Security > API > Trusted Origins, with CORS;";
    const onPage = (location: PropertyDescriptor): string => {
      vi.stubGlobal('process', undefined);
      const before = Object.getOwnPropertyDescriptor(globalThis, 'location');
      Object.defineProperty(globalThis, 'location', { ...location, configurable: true });
      try {
        return transportFailure(refused, where, undefined, 1000, false).message;
      } finally {
        if (before === undefined) Reflect.deleteProperty(globalThis, 'location');
        else Object.defineProperty(globalThis, 'location', before);
        vi.unstubAllGlobals();
      }
    };
    const at = (origin: string): string => onPage({ value: { origin } });
    const hostile = [
      'file://',
      'https://user:secret-password@app.example',
      'https://app.example/callback?code=abc',
      'https://app.example\u001b]8;;https://evil.example\u0007',
      'https://app.example\r\nX-Injected: 1',
      'https://app.example\u202e',
      'https://app.example #',
      `https://${'a'.repeat(10_000)}.example`,
      `${'a'.repeat(10_000)}://app.example`,
      'javascript:alert(1)',
      'https://bücher.example',
    ];
    for (const origin of hostile) {
      const message = at(origin);
      expect(message, origin.slice(0, 40)).toContain(bare);
      expect(message, origin.slice(0, 40)).not.toContain(origin);
    }
    // A polyfill's or a Proxy's getter may throw: the advice stands, the failure is still NETWORK_ERROR.
    expect(onPage({ get: () => { throw new ReferenceError('Access to "location", run again with --location <href>.'); } })).toContain(bare);
    // What browsers serialize is still named, and read at each failure (a page that navigated names its new origin).
    for (const origin of ['http://[::1]:5173', 'https://xn--bcher-kva.example', 'capacitor://localhost', 'http://127.0.0.1:5173', 'https://app.example:8443']) {
      expect(at(origin)).toContain(`add this page's origin (${origin}) in Okta`);
    }
  });

  it('is INVALID_RESPONSE, without the runtime error (whose data echoes the raw answer), for a malformed answer', () => {
    const failure = transportFailure(wrapped('HPE_INVALID_HEADER_TOKEN', 1), where, undefined, 1000, false);
    expect([failure.code, failure.message, failure.cause]).toEqual([
      'INVALID_RESPONSE',
      'GET /api/v1/users: the answer did not follow HTTP/1.1 (HPE_INVALID_HEADER_TOKEN); Okta sends no such answer.',
      undefined,
    ]);
    expect(JSON.stringify(failure)).not.toContain('00secret');
  });
});

describe('malformedAnswer', () => {
  it('finds undici’s header overflow or parser code up to three causes down, and no deeper', () => {
    for (const depth of [0, 1, 2, 3]) {
      expect(malformedAnswer(wrapped('UND_ERR_HEADERS_OVERFLOW', depth), where)?.message).toBe(
        "GET /api/v1/users: the answer's headers were larger than this runtime accepts (a huge Link or other header); Okta sends no such answer.",
      );
      expect(malformedAnswer(wrapped('HPE_CR_EXPECTED', depth), where)?.code).toBe('INVALID_RESPONSE');
    }
    expect(malformedAnswer(wrapped('HPE_CR_EXPECTED', 4), where)).toBeUndefined();
  });

  it('takes only HPE_ and 1 to 40 word characters for a parser code (it goes into the message)', () => {
    expect(malformedAnswer(wrapped(`HPE_${'A'.repeat(40)}`, 0), where)?.message).toContain(`(HPE_${'A'.repeat(40)})`);
    expect(malformedAnswer(wrapped('HPE_X', 0), where)?.code).toBe('INVALID_RESPONSE');
    for (const code of [`HPE_${'A'.repeat(41)}`, 'HPE_', 'XHPE_INVALID', 'HPE_INVALID x-echo: SSWS', 'HPE_INVALID-', 'ECONNRESET', 'UND_ERR_SOCKET']) {
      expect(malformedAnswer(wrapped(code, 0), where)).toBeUndefined();
    }
    // A code that is not a string, a cause chain that ends in a primitive or loops: nothing, and no throw.
    const looping: { cause?: unknown } = {};
    looping.cause = looping;
    for (const error of [{ code: 401 }, { cause: 'HPE_X' }, looping, null, 'HPE_X']) expect(malformedAnswer(error, where)).toBeUndefined();
  });
});

describe('malformedAnswer: a decompression chain', () => {
  it("finds undici's refusal of more content codings than it decodes (no code: its message), quoting nothing of it", () => {
    const refusal = new Error('too many content-encodings in response: 6, maximum allowed is 5');
    const failure = malformedAnswer(new TypeError('fetch failed', { cause: refusal }), where);
    expect(failure?.message).toBe('GET /api/v1/users: the answer named more content codings (Content-Encoding) than this runtime decodes; Okta sends no such answer.');
    expect(failure?.cause).toBeUndefined();
    expect(transportFailure(new TypeError('fetch failed', { cause: refusal }), where, undefined, 1000, false).code).toBe('INVALID_RESPONSE');
    // Only an Error's message that starts so: not a string, not a message that merely mentions it.
    for (const error of [{ message: 'too many content-encodings' }, new Error('fetch failed: too many content-encodings')]) expect(malformedAnswer(error, where)).toBeUndefined();
  });
});

describe('attemptName', () => {
  it("names an attempt by method, host and path, without its query, scrubbed of the attempt's secrets", () => {
    const url = new URL('https://acme.okta.com/api/v1/users/00secret-value-123?token=00secret-value-123');
    expect(attemptName({ method: 'DELETE', url }, ['00secret-value-123'])).toBe('DELETE acme.okta.com/api/v1/users/[redacted]');
  });
});
