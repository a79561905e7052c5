/**
 * A hostile (or merely unusual) OAuth authorization server on 127.0.0.1 for the hostile-oauth
 * suites: a discovery document naming itself, and whatever each path is told to answer. Every
 * request is recorded with its form body, so a test can state what went over the wire.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostileRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly form: URLSearchParams;
}

export interface HostileReply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** An object is sent as JSON. */
  readonly body?: unknown;
}

export type HostileRoute = (request: HostileRequest, org: HostileOrg) => HostileReply | Promise<HostileReply>;

export interface HostileOrg {
  /** `http://127.0.0.1:<port>`: the org URL, issuer and origin of every endpoint. */
  readonly url: string;
  readonly requests: HostileRequest[];
  /** Requests to one path. */
  to(path: string): HostileRequest[];
  close(): Promise<void>;
}

/** The discovery document of an org at `url` (Okta's org authorization server paths). */
export function hostileDiscovery(url: string): Record<string, unknown> {
  return {
    issuer: url,
    authorization_endpoint: `${url}/oauth2/v1/authorize`,
    token_endpoint: `${url}/oauth2/v1/token`,
    jwks_uri: `${url}/oauth2/v1/keys`,
    revocation_endpoint: `${url}/oauth2/v1/revoke`,
    introspection_endpoint: `${url}/oauth2/v1/introspect`,
    device_authorization_endpoint: `${url}/oauth2/v1/device/authorize`,
    end_session_endpoint: `${url}/oauth2/v1/logout`,
    authorization_response_iss_parameter_supported: true,
    code_challenge_methods_supported: ['S256'],
  };
}

/** Starts the server; unknown paths answer 404. */
export async function startHostileOrg(routes: Record<string, HostileRoute>): Promise<HostileOrg> {
  const requests: HostileRequest[] = [];
  const holder: { org?: HostileOrg } = {};
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const request: HostileRequest = { method: req.method ?? 'GET', path, headers: req.headers, form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')) };
      requests.push(request);
      const discovery: HostileRoute = () => ({ body: hostileDiscovery(holder.org?.url ?? '') });
      const route = routes[path] ?? (path === '/.well-known/openid-configuration' ? discovery : undefined);
      const answer: HostileReply | Promise<HostileReply> = route === undefined ? { status: 404, body: { error: 'not_found' } } : route(request, holder.org!);
      void Promise.resolve(answer).then(
        (reply) => {
          const text = typeof reply.body === 'string' || reply.body === undefined ? (reply.body ?? '') : JSON.stringify(reply.body);
          const type = typeof reply.body === 'string' || reply.body === undefined ? {} : { 'content-type': 'application/json' };
          res.writeHead(reply.status ?? 200, { 'cache-control': 'no-store', date: new Date().toUTCString(), ...type, ...reply.headers });
          res.end(text);
        },
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const org: HostileOrg = {
    url,
    requests,
    to: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  holder.org = org;
  return org;
}
