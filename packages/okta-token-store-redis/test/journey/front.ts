/**
 * What stands between the user and the fleet in the multi-org journey: a load balancer that serves
 * the app under a path prefix it strips (`https://partner.example.com/app/…` → a process's `/…`),
 * sending each request to the process the test names; and a browser with a cookie jar that stops
 * at every redirect, so the test follows them one by one.
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The load balancer: `prefix` is stripped, the request goes to `backends[next]`. */
export interface Front {
  readonly url: string;
  next: number;
  backends: string[];
  close(): Promise<void>;
}

export async function startFront(prefix: string): Promise<Front> {
  const front: Front = { url: '', next: 0, backends: [], close: () => Promise.resolve() };
  const server = createServer((req: IncomingMessage, res) => {
    const path = req.url ?? '/';
    const backend = front.backends[front.next];
    if (!path.startsWith(prefix) || backend === undefined) return void res.writeHead(404).end();
    const upstream = request(new URL(path.slice(prefix.length) || '/', backend), { method: req.method, headers: { ...req.headers, 'x-forwarded-prefix': prefix } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(front, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** One user's browser: the app's session cookie, and each answer as it came (redirects not followed). */
export function browser(): { go(url: string): Promise<{ status: number; location: string; body: Record<string, unknown> }> } {
  let cookie = '';
  return {
    async go(url) {
      const answer = await fetch(url, { redirect: 'manual', headers: cookie === '' ? {} : { cookie } });
      const set = answer.headers.get('set-cookie');
      if (set !== null) cookie = set.split(';')[0] ?? '';
      const text = await answer.text();
      return { status: answer.status, location: answer.headers.get('location') ?? '', body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
  };
}
