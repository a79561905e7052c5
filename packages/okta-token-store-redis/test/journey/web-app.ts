/**
 * The partner's web app of the multi-org journey (`../journey-web-orgs.server.test.ts`), written
 * from the READMEs only: a plain `node:http` server that signs users in at each customer's org (one
 * OIDC web app per org, one redirect URI per org), keeps its sessions server-side in Redis (JSON, so
 * any process of the fleet serves any request), gives every org's sign-in client the Redis storage
 * (so the fleet exchanges a code once), redirects after the callback, and calls `/api/v1/users/me`
 * for the signed-in user. The user is who the validated ID token says, per org: never an access token.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOktaFetch, isOktaAuthError } from '@org/okta-auth-core';
import { createSignInClient, UserTokens, type SignInClient, type SignInTransaction, type StoredUserTokens } from '@org/okta-oauth';
import { createRedisTokenStorage, type RedisClientLike } from '../../src/index.js';

/** One customer: its org and the OIDC web app it created for the partner. */
export interface Tenant {
  readonly id: string;
  readonly orgUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** What the server keeps per browser, in Redis, as JSON. */
interface Session {
  signIn?: { org: string; transaction: SignInTransaction } | undefined;
  orgs: Record<string, { sub: string; name: string | undefined; tokens: StoredUserTokens } | undefined>;
}

/** A process of the fleet. */
export interface WebApp {
  readonly url: string;
  close(): Promise<void>;
}

export interface WebAppOptions {
  /** The address users see (the load balancer's, with its path prefix): the redirect URIs are under it. */
  readonly publicUrl: string;
  readonly tenants: readonly Tenant[];
  /** This process's own Redis connection. */
  readonly redis: RedisClientLike & { sendCommand(args: string[]): Promise<unknown> };
  readonly encryption: { current: string; keys: Record<string, string> };
  /** How this process reads the callback it received: by default the address users see (the public URL and the path and query received), as the okta-oauth README says behind a proxy that strips a prefix. */
  readonly callbackUrl?: (req: IncomingMessage) => string;
}

/** The redirect URI of one org: the org's own route, under the public address. */
export const redirectUriOf = (publicUrl: string, org: string): string => `${publicUrl}/callback/${org}`;

/** Starts one process of the app on 127.0.0.1. */
export async function startWebApp(options: WebAppOptions): Promise<WebApp> {
  const { publicUrl, redis } = options;
  const storage = createRedisTokenStorage({ client: redis, encryption: options.encryption, commandTimeoutMs: 30_000 });
  const clients = new Map<string, SignInClient>(
    options.tenants.map((tenant) => [
      tenant.id,
      createSignInClient({
        orgUrl: tenant.orgUrl,
        clientId: tenant.clientId,
        clientSecret: tenant.clientSecret,
        redirectUri: redirectUriOf(publicUrl, tenant.id),
        postLogoutRedirectUri: `${publicUrl}/`,
        scopes: ['openid', 'profile', 'offline_access', 'okta.users.read.self'],
        storage, // the fleet's: a transaction is taken once, by one process
        allowInsecureLoopback: true,
      }),
    ]),
  );
  const callbackUrl = options.callbackUrl ?? ((req: IncomingMessage) => `${publicUrl}${req.url ?? '/'}`);

  const load = async (req: IncomingMessage): Promise<{ id: string; session: Session }> => {
    const id = /(?:^|;\s*)sid=([\w-]{43})/.exec(req.headers.cookie ?? '')?.[1] ?? randomBytes(32).toString('base64url');
    const text = await redis.sendCommand(['GET', `session:${id}`]);
    return { id, session: typeof text === 'string' ? (JSON.parse(text) as Session) : { orgs: {} } };
  };
  const save = async (id: string, session: Session) => {
    await redis.sendCommand(['SET', `session:${id}`, JSON.stringify(session), 'EX', '86400']);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { id, session } = await load(req);
    const send = (status: number, body: unknown, location?: string) => {
      res.writeHead(status, { 'set-cookie': `sid=${id}; HttpOnly; SameSite=Lax; Path=/`, 'content-type': 'application/json', ...(location === undefined ? {} : { location }) });
      res.end(JSON.stringify(body));
    };
    const [, route, org = ''] = /^\/(\w+)(?:\/([\w-]+))?/.exec(new URL(req.url ?? '/', 'http://app').pathname) ?? [];
    const client = clients.get(org);
    if (route === 'login' && client !== undefined) {
      const { url, transaction } = await client.startSignIn();
      session.signIn = { org, transaction }; // which org this transaction is for
      await save(id, session);
      return send(302, {}, url.href);
    }
    if (route === 'callback' && client !== undefined) {
      // One use: out of the session before the code goes to Okta.
      const pending = session.signIn;
      delete session.signIn;
      await save(id, session);
      if (pending === undefined) return send(302, {}, `${publicUrl}/login/${org}`);
      // The client of the org the sign-in was started at, whatever route the callback came to.
      const started = clients.get(pending.org);
      if (started === undefined) return send(400, { error: 'unknown org' });
      const { tokens, claims } = await started.finishSignIn(callbackUrl(req), pending.transaction);
      if (claims === undefined) return send(500, { error: 'no ID token' });
      session.orgs[pending.org] = { sub: claims.sub, name: typeof claims.name === 'string' ? claims.name : undefined, tokens: tokens.toStorable() };
      await save(id, session);
      return send(302, {}, `${publicUrl}/`); // never answer at the callback's address
    }
    if (route === 'me' && client !== undefined) {
      const signedIn = session.orgs[org];
      if (signedIn === undefined) return send(302, {}, `${publicUrl}/login/${org}`);
      const credential = client.credential(UserTokens.fromStorable(signedIn.tokens), {
        onTokens: (tokens) => {
          session.orgs[org] = tokens === null ? undefined : { ...signedIn, tokens: tokens.toStorable() };
        },
      });
      const answer = await createOktaFetch({ credential })('/api/v1/users/me');
      await save(id, session);
      return send(answer.status, { user: signedIn.sub, record: await answer.json() });
    }
    if (route === 'logout' && client !== undefined) {
      const signedIn = session.orgs[org];
      session.orgs[org] = undefined; // this org only: the others stay signed in
      await save(id, session);
      if (signedIn === undefined) return send(302, {}, `${publicUrl}/`);
      const { logoutUrl, revoked } = await client.signOut(UserTokens.fromStorable(signedIn.tokens));
      return send(302, { revoked }, logoutUrl?.href ?? `${publicUrl}/`);
    }
    if (route === undefined) {
      return send(200, { signedIn: Object.fromEntries(Object.entries(session.orgs).map(([name, entry]) => [name, entry?.sub])) });
    }
    return send(404, { error: 'not found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(isOktaAuthError(error) ? { code: error.code, message: error.message } : { message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
