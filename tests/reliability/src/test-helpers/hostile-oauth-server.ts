/**
 * A hostile (or merely unusual) OAuth authorization server on 127.0.0.1 for the hostile-oauth
 * suites: a discovery document naming itself, and whatever each path is told to answer (as a reply
 * object). Built on the hostile org of `hostile.ts`: every request is recorded with its form body,
 * so a test can state what went over the wire.
 */
import { startHostileOrg as startBaseOrg, type HostileRequest } from './hostile.js';

export type { HostileRequest } from './hostile.js';

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

/** Starts the server (on the hostile org's socket plumbing); unknown paths answer 404. */
export async function startHostileOrg(routes: Record<string, HostileRoute>): Promise<HostileOrg> {
  const base = await startBaseOrg();
  const org: HostileOrg = {
    url: base.url,
    requests: base.requests,
    to: (path) => base.requests.filter((r) => r.path === path),
    close: () => base.close(),
  };
  for (const [path, route] of Object.entries(routes)) {
    base.route(path, async (request, res) => {
      const reply = await route(request, org);
      const text = typeof reply.body === 'string' || reply.body === undefined ? (reply.body ?? '') : JSON.stringify(reply.body);
      const type = typeof reply.body === 'string' || reply.body === undefined ? {} : { 'content-type': 'application/json' };
      res.writeHead(reply.status ?? 200, { 'cache-control': 'no-store', date: new Date().toUTCString(), ...type, ...reply.headers });
      res.end(text);
    });
  }
  return org;
}
