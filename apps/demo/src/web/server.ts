import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { DEMO_ADMIN, USER_SCOPES } from '../tour/demo-org.js';
import { DEFAULT_SCOPES, type PageConfig, type WebConfig } from './config.js';
import { isAllowedHost } from './hosts.js';
import { APP_CSS, INDEX_HTML } from './page.js';

/** Options of {@link startWebDemo}. */
export interface WebDemoOptions {
  readonly config: WebConfig;
  /** The browser bundle (`dist/web/public/app.js`, or one built by the tests). */
  readonly browserScript: string;
  /**
   * Where to listen. By default 127.0.0.1, and [::1] on the same port: browsers look for
   * `localhost` on [::1] first, so another program holding it would get the page and the callback.
   * @default '127.0.0.1'
   */
  readonly host?: string;
}

/** A running web demo. */
export interface WebDemo {
  /** Where to open it, `http://127.0.0.1:PORT/`. */
  readonly url: string;
  readonly page: PageConfig;
  /** The emulated org, when running on one, and who to sign in as. */
  readonly emulator: { readonly org: OktaEmulator; readonly login: string; readonly password: string } | undefined;
  close(): Promise<void>;
}

/** The app's name on the emulator's sign-in page ("to continue to …"), as an Okta app's label would be. */
export const APP_LABEL = 'okta-auth web demo';

function securityHeaders(page: PageConfig | undefined): Record<string, string> {
  const org = page === undefined ? '' : ` ${page.orgUrl}`;
  return {
    // The page talks to itself and to the org (CORS), and loads nothing else.
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'${org}; form-action 'self'${org}; base-uri 'none'; frame-ancestors 'none'`,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
}

/** A machine without IPv6 on loopback: no other program can listen on [::1] either. */
const NO_IPV6 = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT']);

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => { resolve(); }));
}

/**
 * Listens on `host`, or on 127.0.0.1 and [::1] on the same port: whoever holds [::1]:PORT is
 * served Chromium's requests for `http://localhost:PORT`, the demo's own origin. Port 0 picks a
 * port free on both.
 */
async function listenLoopback(handler: (req: IncomingMessage, res: ServerResponse) => void, port: number, host: string | undefined): Promise<{ servers: Server[]; address: AddressInfo }> {
  for (let attempt = 1; ; attempt++) {
    const first = createServer(handler);
    const address = await listen(first, port, host ?? '127.0.0.1');
    if (host !== undefined) return { servers: [first], address };
    const second = createServer(handler);
    try {
      await listen(second, address.port, '::1');
      return { servers: [first, second], address };
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (NO_IPV6.has(code)) return { servers: [first], address };
      await closeServer(first);
      if (port !== 0 || code !== 'EADDRINUSE' || attempt === 5) throw error;
    }
  }
}

/** The path of a request's target, or undefined when it is no URL. */
function pathOf(target: string): string | undefined {
  try {
    return new URL(target, 'http://x').pathname;
  } catch {
    return undefined;
  }
}

/** Where the page is served: `/`, `/callback`, and where Okta sends the browser back to (the redirect URIs' paths). */
function pagePaths(page: PageConfig): ReadonlySet<string> {
  return new Set(['/', '/callback', new URL(page.redirectUri).pathname, new URL(page.postLogoutRedirectUri).pathname]);
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Serves the page, its script and `/config.json` on one origin. On the emulator, it starts an
 * org with a SPA app whose redirect URI is this server's `/callback`, an admin who may read
 * users, and some users to list.
 */
export async function startWebDemo(options: WebDemoOptions): Promise<WebDemo> {
  let page: PageConfig | undefined = options.config.mode === 'org' ? options.config.page : undefined;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'content-type': type, ...securityHeaders(page) }).end(req.method === 'HEAD' ? undefined : body);
    };
    if (!isAllowedHost(req.headers.host, page === undefined ? [] : [page.redirectUri, page.postLogoutRedirectUri])) {
      // A name this machine was not opened by: DNS rebinding, or a proxy this demo does not know.
      send(421, 'text/plain; charset=utf-8', 'This demo answers requests for localhost or 127.0.0.1 only (DNS rebinding protection).');
      return;
    }
    const path = pathOf(req.url ?? '/');
    if (path === undefined) {
      // Node.js's parser takes an absolute-form target that is no URL (`GET http://[`): refused, not thrown.
      send(400, 'text/plain; charset=utf-8', 'Bad request');
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (page === undefined ? path === '/' || path === '/callback' : pagePaths(page).has(path)) {
      send(200, 'text/html; charset=utf-8', INDEX_HTML);
    } else if (path === '/app.js') {
      send(200, 'text/javascript; charset=utf-8', options.browserScript);
    } else if (path === '/app.css') {
      send(200, 'text/css; charset=utf-8', APP_CSS);
    } else if (path === '/config.json' && page !== undefined) {
      send(200, 'application/json', JSON.stringify(page));
    } else {
      send(404, 'text/plain; charset=utf-8', 'Not found');
    }
  };
  const { servers, address } = await listenLoopback(handler, options.config.port, options.host);
  const closeAll = async (): Promise<void> => {
    await Promise.all(servers.map(closeServer));
  };
  const origin = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${String(address.port)}`;

  let emulator: WebDemo['emulator'];
  if (options.config.mode === 'emulator') {
    try {
      const org = await startEmulator();
      org.seedUsers(60);
      org.createUser({ ...DEMO_ADMIN, email: DEMO_ADMIN.login, admin: true });
      const redirectUri = `${origin}/callback`;
      const postLogoutRedirectUri = `${origin}/`;
      const { clientId } = org.createSignInApp({
        type: 'spa',
        redirectUris: [redirectUri],
        postLogoutRedirectUris: [postLogoutRedirectUri],
        scopes: USER_SCOPES,
        label: APP_LABEL,
        signInHint: `A local emulated org: sign in as ${DEMO_ADMIN.login} with password ${DEMO_ADMIN.password}.`,
      });
      const signInAs = { login: DEMO_ADMIN.login, password: DEMO_ADMIN.password };
      page = { orgUrl: org.url, clientId, redirectUri, postLogoutRedirectUri, scopes: DEFAULT_SCOPES, emulator: true, signInAs };
      emulator = { org, login: DEMO_ADMIN.login, password: DEMO_ADMIN.password };
    } catch (error) {
      await closeAll();
      throw error;
    }
  }
  const ready = page;
  if (ready === undefined) throw new Error('no page configuration');
  return {
    url: `${origin}/`,
    page: ready,
    emulator,
    close: async () => {
      await closeAll();
      await emulator?.org.close();
    },
  };
}
