/**
 * A real HTTP server on 127.0.0.1 whose answers a test scripts, and which records every request it
 * receives (method, path, headers, body): the one scripted server for answers no Okta sends (core's
 * transport edge cases: comma-joined headers, redirects, stalls; the hostile org of the reliability
 * suites). Everything Okta can do runs against @org/okta-emulator instead (docs/ARCHITECTURE.md).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export type Handler = (request: RecordedRequest, response: ServerResponse, index: number) => void | Promise<void>;

export interface ScriptedServer {
  readonly url: string;
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Replaces the handler. */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

/**
 * Starts the server; `handler` answers every request until {@link ScriptedServer.handle} replaces it.
 *
 * @example
 * ```ts
 * const okta = await startScriptedServer((_req, res) => json(res, 200, { ok: true }));
 * ```
 */
export async function startScriptedServer(handler: Handler = (_req, res) => {
  res.end();
}): Promise<ScriptedServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: { ...req.headers },
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      Promise.resolve(current(recorded, res, requests.length - 1)).catch((error: unknown) => {
        res.statusCode = 599;
        res.end(String(error));
      });
    });
  });
  // A client that gives up mid-answer resets the socket: that is the test's business, not an error here.
  server.on('connection', (socket) => socket.on('error', () => undefined));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    origin,
    requests,
    handle(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Answers `body` as JSON with `status` and extra `headers`. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
