/** A fetch that records what went over the wire (method, URL, headers, form body) and then sends it. */
export interface SentRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly form: URLSearchParams | undefined;
}

export function recordingFetch(): { fetch: typeof fetch; sent: SentRequest[]; tokenRequests: () => SentRequest[]; apiRequests: () => SentRequest[] } {
  const sent: SentRequest[] = [];
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const isForm = request.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded') === true;
    const form = isForm ? new URLSearchParams(await request.clone().text()) : undefined;
    sent.push({ method: request.method, url: new URL(request.url), headers: new Headers(request.headers), form });
    return globalThis.fetch(request);
  };
  return {
    fetch: wrapped,
    sent,
    tokenRequests: () => sent.filter((r) => r.url.pathname === '/oauth2/v1/token'),
    apiRequests: () => sent.filter((r) => r.url.pathname.startsWith('/api/')),
  };
}
