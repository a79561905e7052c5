/**
 * A hostile org on 127.0.0.1: a small node:http server whose every route the test scripts
 * (echoing what the client sent, stalling, streaming without end, looping links). It serves an
 * OpenID discovery document naming itself, so the sign-in client can be pointed at it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, newKeyPair, startScriptedServer } from '@org/okta-test-utils';
import { discoveryDocument } from './scripted.js';

export interface HostileRequest {
  readonly method: string;
  readonly path: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  /** The form fields of a form POST. */
  readonly form: URLSearchParams;
  /** Every credential the request carried, header-safe, joined by spaces (what an echo sends back). */
  readonly echo: string;
}

export type HostileRoute = (request: HostileRequest, res: ServerResponse) => void | Promise<void>;

export interface HostileOrg {
  readonly url: string;
  readonly requests: HostileRequest[];
  /** Bytes the server managed to write in streamed bodies (see `stream`). */
  readonly streamed: { bytes: number };
  route(path: string, handler: HostileRoute): void;
  close(): Promise<void>;
}

/** The credentials a request carried: Authorization (and its decoded Basic), DPoP, form secrets. */
function echoOf(headers: IncomingMessage['headers'], form: URLSearchParams): string {
  const parts: string[] = [];
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    parts.push(authorization);
    const [scheme = '', credentials = ''] = authorization.split(' ');
    if (scheme.toLowerCase() === 'basic') parts.push(Buffer.from(credentials, 'base64').toString('utf8'));
  }
  if (typeof headers.dpop === 'string') parts.push(headers.dpop);
  for (const name of ['token', 'refresh_token', 'client_secret', 'client_assertion', 'code', 'code_verifier', 'device_code']) {
    const value = form.get(name);
    if (value !== null) parts.push(value);
  }
  return parts.join(' ').replace(/[^\x20-\x7E]/g, ' ');
}

export async function startHostileOrg(): Promise<HostileOrg> {
  const routes = new Map<string, HostileRoute>();
  const requests: HostileRequest[] = [];
  const streamed = { bytes: 0 };
  const server = await startScriptedServer((recorded, res) => {
    const url = new URL(recorded.path, server.origin);
    const contentType = recorded.headers['content-type'];
    const form = new URLSearchParams(typeof contentType === 'string' && contentType.includes('form') ? recorded.body : '');
    const headers = recorded.headers as IncomingMessage['headers'];
    const request: HostileRequest = { method: recorded.method, path: url.pathname, url, headers, form, echo: echoOf(headers, form) };
    requests.push(request);
    const handler = routes.get(url.pathname) ?? (url.pathname === '/.well-known/openid-configuration' ? discovery(server.origin) : undefined);
    if (handler === undefined) {
      json(res, 404, { errorCode: 'E0000007', errorSummary: 'Not found' });
      return;
    }
    return Promise.resolve(handler(request, res)).catch(() => void res.destroy());
  });
  return {
    url: server.url,
    requests,
    streamed,
    route: (path, handler) => {
      routes.set(path, handler);
    },
    close: () => server.close(),
  };
}

function discovery(origin: string): HostileRoute {
  return (_request, res) => {
    json(res, 200, discoveryDocument(origin));
  };
}

export { json } from '@org/okta-test-utils';

/**
 * Streams a body of up to `totalBytes` (default 100 MB) in 64 KiB chunks, as fast as the client
 * takes them, counting what was written, until the client stops reading (cancels) or it is all sent.
 */
export function stream(org: HostileOrg, res: ServerResponse, status: number, headers: Record<string, string>, totalBytes = 100 * 1024 * 1024): Promise<void> {
  const closed = new Promise<void>((resolve) => res.on('close', resolve));
  res.writeHead(status, headers);
  const chunk = Buffer.alloc(65_536, 'a');
  const write = (): void => {
    while (org.streamed.bytes < totalBytes && !res.destroyed) {
      org.streamed.bytes += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', write);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  res.on('close', () => res.removeAllListeners('drain'));
  write();
  return closed;
}

/** Sends the headers and the start of a body, then nothing more (until the client gives up). */
export function stall(res: ServerResponse, status: number, start: string, headers: Record<string, string> = { 'content-type': 'application/json' }): void {
  res.writeHead(status, headers);
  res.write(start);
}

/** A service-app key the hostile org never checks (it signs the client assertions the server echoes). */
export function clientKeyPem(): string {
  return newKeyPair({ type: 'ec', namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** Every secret the hostile org received, as sentinels for the leak harness. */
export function receivedSecrets(org: HostileOrg): string[] {
  const out: string[] = [];
  for (const request of org.requests) {
    const authorization = request.headers.authorization;
    if (typeof authorization === 'string') {
      const [scheme = '', credentials = ''] = authorization.split(' ');
      out.push(credentials);
      if (scheme.toLowerCase() === 'basic') {
        const decoded = Buffer.from(credentials, 'base64').toString('utf8');
        out.push(decoded, decodeURIComponent(decoded.slice(decoded.indexOf(':') + 1).replace(/\+/g, ' ')));
      }
    }
    if (typeof request.headers.dpop === 'string') out.push(request.headers.dpop);
    for (const name of ['token', 'refresh_token', 'client_secret', 'client_assertion', 'code', 'code_verifier', 'device_code']) {
      const value = request.form.get(name);
      if (value !== null) out.push(value);
    }
  }
  return out.filter((s) => s.length >= 8);
}
