/**
 * The set-ups a README block names with `<!-- run: SET-UP … -->` (see `readme-blocks.ts`): what of a real
 * org the block takes for given (an API token in `OKTA_CLIENT_TOKEN`, a service app's key file, a
 * `declare const client` that is "the connected client from above") made from the test's emulator and
 * redis-server. A set-up gives the block's process its environment, files in its working directory, a
 * prelude defining the block's `declare`d names, and the literal placeholders to swap; and `then` calls,
 * each appended after the block to use what it built and print `then …`.
 */
import type { OktaEmulator } from '@org/okta-emulator';
import { startProxy, type TestProxy } from '@org/okta-test-utils';
import { startRedisSentinel, startRedisServer, type RedisServer } from '../../../../packages/okta-token-store-redis/test/fleet/redis-server.mjs';
import type { Swap } from './readme-blocks.js';
import { closeInTurn } from './close-in-turn.js';

export interface Prepared {
  readonly swap: Swap;
  readonly env: Readonly<Record<string, string>>;
  readonly files?: Readonly<Record<string, string>>;
  /** Code run before the block: defines what the block `declare`s, on `globalThis`. */
  readonly prelude?: string;
  /** Code run after the block (and its `then` call): closes what the prelude opened. */
  readonly epilogue?: string;
  /** Each line the block prints, as it comes: where the test plays the user (approving a device). */
  readonly onLine?: (line: string) => void;
  /** What must have happened outside the block once it ran (a proxy tunnelled to the org): a problem, or undefined. */
  readonly check?: () => string | undefined;
  /** Undoes what the set-up did to the org (a fault): called however the block ends, bundling failures included. */
  readonly release?: () => void;
  /** The block is a vitest test file: run under vitest, in its folder (the `files` may hold its config). */
  readonly vitest?: boolean;
}

/** The org's admin, whom the set-ups sign in as (the sign-in robot, or a browser on the sign-in page). */
export const admin = { login: 'readme-admin@example.com', password: 'Readme-Passw0rd!' };
const givens = (values: Record<string, unknown>) => `Object.assign(globalThis, ${JSON.stringify(values)});\n`;

/** The emulator and redis-server the set-ups share; each made once, on first use. */
export class ReadmeOrg {
  private redis: Promise<RedisServer> | undefined;
  private sentinel: Promise<RedisServer> | undefined;
  private proxy: Promise<TestProxy> | undefined;
  private readonly made = new Map<string, unknown>();

  constructor(readonly org: OktaEmulator) {
    org.createUser({ login: admin.login, password: admin.password, firstName: 'Ada', lastName: 'Admin', admin: true });
    org.recordLogEvent({ eventType: 'user.session.start' });
  }

  private once<T>(key: string, make: () => T): T {
    if (!this.made.has(key)) this.made.set(key, make());
    return this.made.get(key) as T;
  }

  private async redisUrl(): Promise<string> {
    this.redis ??= startRedisServer();
    return (await this.redis).url;
  }

  /** A Redis Sentinel watching the redis-server as `mymaster` (the README's name). */
  private async sentinelPort(): Promise<number> {
    this.sentinel ??= this.redisUrl().then((url) => startRedisSentinel(Number(new URL(url).port), 'mymaster'));
    return (await this.sentinel).port;
  }

  /** Stops what the set-ups started, each whatever became of the others (a server that never started). */
  close(): Promise<void> {
    return closeInTurn([async () => (await this.sentinel)?.stop(), async () => (await this.redis)?.stop(), async () => (await this.proxy)?.close()]);
  }

  private apiToken = () => this.once('token', () => this.org.createApiToken({ user: admin.login }).token);
  private serviceApp = (keyType: 'RSA' | 'EC' = 'RSA') =>
    this.once(`service-${keyType}`, () => this.org.createServiceApp({ keyType, scopes: ['okta.users.read', 'okta.groups.read', 'okta.logs.read'] }));
  private webApp = (method: 'client_secret_basic' | 'client_secret_jwt') =>
    this.once(method, () => this.org.createSignInApp({ type: 'web', tokenEndpointAuthMethod: method, redirectUris: ['https://app.example.com/callback'], scopes: ['okta.users.read'] }));

  private serviceAppEnv(scopes = 'okta.users.read okta.groups.read okta.logs.read') {
    const app = this.serviceApp();
    return { OKTA_CLIENT_ORGURL: this.org.url, OKTA_CLIENT_CLIENTID: app.clientId, OKTA_CLIENT_SCOPES: scopes, OKTA_CLIENT_PRIVATEKEY: app.privateKeyPem, OKTA_CLIENT_KEYID: app.keyId };
  }

  /** The set-up a marker names. */
  async prepare(setup: string): Promise<Prepared> {
    const orgUrl = this.org.url;
    switch (setup) {
      case 'api-token': {
        const env = { OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: this.apiToken() };
        const credential = `import { createSswsCredential as __ssws } from '@org/okta-ssws';\n(globalThis as any).credential = __ssws({ orgUrl: ${JSON.stringify(orgUrl)}, token: ${JSON.stringify(env.OKTA_CLIENT_TOKEN)}, allowInsecureLoopback: true });\n`;
        return { swap: { orgUrl }, env, prelude: givens({ apiToken: env.OKTA_CLIENT_TOKEN, env }) + credential + '(globalThis as any).waitFor = () => 0;\n' };
      }
      case 'api-token-429':
      case 'api-token-429-lasting': {
        // docs/MIGRATING.md's retries pair: the list's first request (every one, `lasting`) is answered Okta's
        // 429, whose reset is the answer's own second, so the SDK and ours both wait 1 s (reset − Date + 1 s) and
        // print the same `backoff` line (a request id of the set-up's). The blocks run one at a time: no other
        // block's list meets the fault. `release` removes it however the block ends; `check` says if it was never spent.
        const prepared = await this.prepare('api-token');
        const answered = new Date(Math.floor(Date.now() / 1000) * 1000);
        const headers = { Date: answered.toUTCString(), 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': String(answered.getTime() / 1000), 'X-Okta-Request-Id': 'readme-rate-limited' };
        const fault = this.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 429, headers, ...(setup === 'api-token-429' ? { count: 1 } : {}) });
        let unspent: boolean | undefined;
        const release = () => void (unspent ??= this.org.removeFault(fault));
        const check = () => (release(), unspent === true && setup === 'api-token-429' ? 'the 429 was never answered' : undefined);
        return { ...prepared, check, release };
      }
      case 'api-token-logs-outage': {
        // core's System Log feed, which must outlive an outage: its first poll is answered 503 three times (the request and the
        // fetcher's two retries), so the block prints an event only once it resumed. Removed however the block ends.
        const prepared = await this.prepare('api-token');
        const fault = this.org.injectFault({ path: '/api/v1/logs', kind: 'status', status: 503, count: 3 });
        let unspent: boolean | undefined;
        const release = () => void (unspent ??= this.org.removeFault(fault));
        return { ...prepared, check: () => (release(), unspent === true ? 'the outage was never answered' : undefined), release };
      }
      case 'service-app': {
        const app = this.serviceApp();
        const literals = [['0oa1bcd2efGHIJ3kl4m5', app.clientId], ["'key-2026-01'", JSON.stringify(app.keyId)]] as const;
        return { swap: { orgUrl, literals }, env: this.serviceAppEnv(), files: { 'okta-service-app.pem': app.privateKeyPem }, prelude: givens({ pem: app.privateKeyPem }) };
      }
      case 'service-app-key-rotation': {
        // An app of the block's own: the block deletes the key it starts with.
        const app = this.org.createServiceApp({ scopes: ['okta.users.read', 'okta.apps.manage'] });
        const literals = [['0oa1bcd2efGHIJ3kl4m5', app.clientId], ["'key-2026-01'", JSON.stringify(app.keyId)]] as const;
        return { swap: { orgUrl, literals }, env: {}, files: { 'okta-service-app.pem': app.privateKeyPem } };
      }
      case 'proxy': {
        const proxy = await (this.proxy ??= startProxy());
        const before = proxy.tunnels.length;
        const app = this.serviceApp();
        const literals = [['0oa1b2c3d4', app.clientId], ['http://proxy.corp.example:3128', proxy.url]] as const;
        const host = new URL(orgUrl).host;
        const check = () => (proxy.tunnels.slice(before).includes(host) ? undefined : `no CONNECT ${host} reached the proxy: ${proxy.tunnels.join(', ')}`);
        return { swap: { orgUrl, literals }, env: this.serviceAppEnv('okta.users.read'), check };
      }
      case 'kms': {
        const app = this.serviceApp('EC');
        const literals = [['0oa1bcd2efGHIJ3kl4m5', app.clientId], ["'kms-2026-01'", JSON.stringify(app.keyId)]] as const;
        // A "KMS" that holds the key and only signs (ECDSA P-256, the r‖s form WebCrypto gives).
        const kms = `const __key = await crypto.subtle.importKey('jwk', ${JSON.stringify(app.privateJwk)}, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
(globalThis as any).kms = { sign: async (_keyId: string, data: Uint8Array) => new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, __key, data)) };\n`;
        return { swap: { orgUrl, literals }, env: {}, prelude: kms };
      }
      case 'oin-app': {
        const app = this.once('oin', () => this.org.createOinApp({ scopes: ['okta.users.read', 'okta.groups.read'] }));
        const literals = [['createOinAppCredential({ orgUrl,', 'createOinAppCredential({ orgUrl, allowInsecureLoopback: true,']] as const;
        return { swap: { orgUrl, literals }, env: {}, prelude: givens({ tenant: { oktaDomain: orgUrl, ...app } }) };
      }
      case 'sign-in-web':
      case 'sign-in-web-jwt': {
        const app = this.webApp(setup === 'sign-in-web' ? 'client_secret_basic' : 'client_secret_jwt');
        const env = {
          OKTA_CLIENT_ORGURL: orgUrl,
          OKTA_CLIENT_CLIENTID: app.clientId,
          OKTA_CLIENT_CLIENTSECRET: app.clientSecret ?? '',
          OKTA_CLIENT_REDIRECTURI: 'https://app.example.com/callback',
          OKTA_CLIENT_SCOPES: 'openid profile offline_access okta.users.read',
        };
        const app$ = `const __routes = new Map<string, (req: unknown, res: unknown) => Promise<void>>();\n(globalThis as any).app = { get: (path: string, handler: (req: unknown, res: unknown) => Promise<void>) => { __routes.set(path, handler); } };\n(globalThis as any).__routes = __routes;\n`;
        return { swap: { orgUrl, literals: [['0oa1b2c3d4', app.clientId]] }, env, prelude: app$ + givens({ __admin: admin }) };
      }
      case 'signed-in': {
        const app = this.once('signed-in', () =>
          this.org.createSignInApp({ type: 'web', redirectUris: ['https://app.example.com/callback'], postLogoutRedirectUris: ['https://app.example.com/'], scopes: ['okta.users.read'] }),
        );
        const options = { orgUrl, allowInsecureLoopback: true, ...app, redirectUri: 'https://app.example.com/callback', postLogoutRedirectUri: 'https://app.example.com/', scopes: ['openid', 'offline_access', 'okta.users.read'] };
        // A confidential client and two sign-ins by the sign-in robot: one credential to sign out, one token to introspect.
        const prelude = `import { createSignInClient as __client } from '@org/okta-oauth';
import { fillSignInForm as __fill } from '@org/okta-test-utils';
const __signIn = __client(${JSON.stringify(options)});
const __login = async () => { const { url, transaction } = await __signIn.startSignIn(); return __signIn.finishSignIn(await __fill(url, ${JSON.stringify(admin.login)}, ${JSON.stringify(admin.password)}), transaction); };
const __first = await __login();
const __second = await __login();
Object.assign(globalThis, { signIn: __signIn, credential: __signIn.credential(__first), token: __second.tokens.accessToken.reveal(), res: { redirect: (url: string) => console.log('then res.redirect', new URL(url).pathname) } });
`;
        return { swap: { orgUrl }, env: {}, prelude };
      }
      case 'native-app': {
        const app = this.once('native', () => this.org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1/callback'], scopes: ['okta.users.read'] }));
        // The user: approves the code the block prints, as a person would on their phone.
        const onLine = (line: string) => {
          const code = /enter (\S+)$/.exec(line)?.[1];
          if (code !== undefined) this.org.approveDevice(code, admin.login);
        };
        // XDG_CONFIG_HOME: where a block keeping tokens between runs writes them, in its own working folder.
        return { swap: { orgUrl, literals: [['0oa1b2c3d4e5f6g7h8i9', app.clientId]] }, env: { XDG_CONFIG_HOME: 'config' }, onLine };
      }
      case 'redis':
        return { swap: { orgUrl }, env: { REDIS_URL: await this.redisUrl() } };
      case 'redis-sentinel': {
        const sentinel = `{ host: '127.0.0.1', port: ${await this.sentinelPort()} }`;
        return { swap: { orgUrl, literals: [["{ host: 'sentinel-1.internal', port: 26379 }", sentinel]] }, env: {} };
      }
      case 'redis-store': {
        const app = this.serviceApp();
        const options = { orgUrl, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], allowInsecureLoopback: true };
        const client = `import { createClient as __redis } from 'redis';\n(globalThis as any).client = await __redis({ url: ${JSON.stringify(await this.redisUrl())} }).connect();\n(globalThis as any).redis = (globalThis as any).client;\n(globalThis as any).logger = () => undefined;\n`;
        const env = { OKTA_TOKEN_KEY: btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))) };
        return { swap: { orgUrl }, env, prelude: client + givens({ options }), epilogue: 'await (globalThis as any).client.quit();\n' };
      }
      case 'durable-object': {
        // A Worker's env in Node.js: OKTA_TOKENS a namespace of one OktaTokenStoreObject in this process (over a Map
        // standing for its storage; workerd runs the object in the package's own tests), and Okta's variables of a
        // DPoP service app; `options` the same app's. The Worker's default export becomes `__worker`, for `then worker`.
        const app = this.once('durable-object', () => this.org.createServiceApp({ keyType: 'EC', requireDpop: true, scopes: ['okta.users.read'] }));
        const variables = { OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_CLIENTID: app.clientId, OKTA_CLIENT_SCOPES: 'okta.users.read', OKTA_CLIENT_PRIVATEKEY: app.privateKeyPem, OKTA_CLIENT_KEYID: app.keyId };
        const options = { orgUrl, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], allowInsecureLoopback: true };
        const namespace = `import { OktaTokenStoreObject as __Object } from '@org/okta-token-store-durable-object';
const __map = new Map<string, unknown>();
let __alarm: number | null = null;
const __storage = {
  get: async (key: string) => __map.get(key),
  put: async (entries: Record<string, unknown>) => void Object.entries(entries).forEach(([key, value]) => __map.set(key, value)),
  delete: async (key: string) => __map.delete(key),
  list: async ({ prefix, startAfter, limit }: { prefix: string; startAfter?: string; limit: number }) =>
    new Map([...__map].filter(([key]) => key.startsWith(prefix) && (startAfter === undefined || key > startAfter)).sort(([a], [b]) => (a < b ? -1 : 1)).slice(0, limit)),
  getAlarm: async () => __alarm,
  setAlarm: async (time: number) => void (__alarm = time),
};
const __object = new __Object({ storage: __storage });
const __namespace = { idFromName: (name: string) => name, get: () => ({ fetch: (url: string, init?: RequestInit) => __object.fetch(new Request(url, init)) }) };
Object.assign(globalThis, { env: { OKTA_TOKENS: __namespace, ...(globalThis as any).__variables }, __map });
`;
        return { swap: { orgUrl, literals: [['export default {', 'const __worker = {']] }, env: {}, prelude: givens({ __variables: variables, options }) + namespace };
      }
      case 'vitest-provide': {
        // A test file under the emulator README's globalSetup: the config provides the org's URL as that setup's `provide` does.
        const config = `export default { test: { provide: { orgUrl: ${JSON.stringify(orgUrl)} } } };\n`;
        return { swap: { orgUrl }, env: {}, files: { 'vitest.config.mjs': config }, vitest: true };
      }
      default:
        throw new Error(`no set-up named ${setup} (tests/reliability/src/test-helpers/readme-setups.ts)`);
    }
  }
}

/** The `then` calls a marker may name: code appended after the block, and what it must print. */
export const thenCalls: Readonly<Record<string, { readonly code: string; readonly prints: readonly string[] }>> = {
  okta: { code: "console.log('then', (await okta('/api/v1/users?limit=1')).status);", prints: ['then 200'] },
  /**
   * A block's file `storage` (`file(key)`, `dir`): the call, then each write leaves a file the user
   * alone reads, whatever was at its path: an older file open to others, a link planted to another
   * file (replaced, the file it pointed to untouched); no other file left in the folder.
   */
  privateFile: {
    code: `import { chmod as __chmod, lstat as __lstat, readdir as __readdir, readFile as __read, symlink as __symlink, writeFile as __write } from 'node:fs/promises';
import { resolve as __resolve } from 'node:path';
console.log('then', (await okta('/api/v1/users?limit=1')).status);
const __mode = async (path: string) => ((await __lstat(path)).mode & 0o777).toString(8);
await __write(file('older'), 'x');
await __chmod(file('older'), 0o644);
await storage.set('older', 'value');
await __write('elsewhere', 'untouched', { mode: 0o644 });
await __symlink(__resolve('elsewhere'), file('link'));
await storage.set('link', 'value');
console.log('then', await __mode(file('older')), await __mode(file('link')), (await __lstat(file('link'))).isFile(), await __read('elsewhere', 'utf8'));
console.log('then', (await __readdir(dir)).every((name) => name.endsWith('.json')), await __mode(dir));`,
    prints: ['then 200', 'then 600 600 true untouched', 'then true 700'],
  },
  credential: {
    code: "import { createOktaFetch as __okta } from '@org/okta-auth-core';\nconsole.log('then', (await __okta({ credential })('/api/v1/users?limit=1')).status);",
    prints: ['then 200'],
  },
  /**
   * The tenant's users; then the limit is per org, on two orgs of the call's own (a `hold` fault on the
   * shared org would hold the other blocks' calls), and carried by the org's credential (no map, no
   * `maxInFlight` given to `createOktaFetch`): the first org's token request, held, holds one of its
   * limit's slots, a limit that is not the second org's; of twelve calls to the first, ten are held
   * there and two wait in its limit, while a call to the second goes through; the first org never had
   * more than ten.
   */
  usersOf: {
    code: `console.log('then', ((await usersOf((globalThis as any).tenant)) as unknown[]).length > 0);
const { startEmulator: __start } = await import('@org/okta-emulator');
const __orgs = [await __start({ seed: { users: 1 } }), await __start({ seed: { users: 1 } })];
const __tenants = __orgs.map((o) => ({ oktaDomain: o.url, ...o.createOinApp({ scopes: ['okta.users.read', 'okta.groups.read'] }) }));
const __limit = (t: (typeof __tenants)[number]) => orgs.get(t.oktaDomain, { clientId: t.clientId, clientSecret: t.clientSecret }).maxInFlight;
const __token = __orgs[0].injectFault({ path: '/oauth2/v1/token', kind: 'hold', count: 1 });
const __first = usersOf(__tenants[0]); // its token first: what is held next is the users calls alone
while (__orgs[0].heldAnswers(__token) < 1) await new Promise((resolve) => setTimeout(resolve, 20));
console.log('then token request', __limit(__tenants[0])?.inFlight, __limit(__tenants[0])?.max, __limit(__tenants[0]) === __limit(__tenants[1]));
__orgs[0].removeFault(__token);
await __first;
const __hold = __orgs[0].injectFault({ path: '/api/v1/users', kind: 'hold', holdMs: 60_000 });
__orgs[0].resetCounters();
const __busy = Array.from({ length: 12 }, () => usersOf(__tenants[0]));
// As \`until\` (@org/okta-test-utils), which needs a vitest test: no deadline but the test's.
while (__orgs[0].heldAnswers(__hold) < 10) await new Promise((resolve) => setTimeout(resolve, 20));
const __other = (await usersOf(__tenants[1])) as unknown[];
console.log('then other org', __other.length > 0, 'held', __orgs[0].heldAnswers(__hold));
__orgs[0].removeFault(__hold);
console.log('then', (await Promise.all(__busy)).length, 'maxInFlight', __orgs[0].counters().maxInFlight);
for (const o of __orgs) await o.close();`,
    prints: ['then true', 'then token request 1 10 false', 'then other org true held 10', 'then 12 maxInFlight 10'],
  },
  tokenStore: {
    code: "await tokenStore.set('readme', 'value', { expiresAt: Date.now() + 60_000 });\nconsole.log('then', await tokenStore.get('readme'));\nawait tokenStore.remove('readme');\nconsole.log('then', await tokenStore.get('readme'));",
    prints: ['then value', 'then null'],
  },
  introspection: { code: "console.log('then', revoked.length, notRevoked.length, info.active);", prints: ['then res.redirect /oauth2/v1/logout', 'then 2 0 true'] },
  /** A Worker module's `fetch` (the `durable-object` set-up's `__worker`), twice with the set-up's env: the second request reuses what the first made; the object holds entries. */
  worker: {
    code: `for (let __i = 0; __i < 2; __i++) console.log('then', (await __worker.fetch(new Request('https://worker.example/'), (globalThis as any).env)).status);
console.log('then stored', [...(globalThis as any).__map.keys()].some((key: string) => key.startsWith('e:')));`,
    prints: ['then 200', 'then 200', 'then stored true'],
  },
  quit: { code: "console.log('then', await client.ping());\nawait client.quit();", prints: ['then PONG'] },
  /** node-redis's Sentinel client has no `quit` (a Sentinel does not know QUIT): it closes. */
  close: { code: "console.log('then', await client.ping());\nawait client.close();", prints: ['then PONG'] },
  /** ioredis with `failoverDetector`: its `quit()` leaves the Sentinel subscriptions open (ioredis#1362), `disconnect()` ends them. */
  disconnect: { code: "console.log('then', await client.ping());\nclient.disconnect();", prints: ['then PONG'] },
  /**
   * The Express routes, driven as a browser would: /login, the org's sign-in page, /callback (which
   * redirects to a page of the app, the user kept from the ID token's claims; after it the session holds no transaction: another process reading it could send the code again),
   * /me, then the callback replayed (the back button), which must start over without a code exchange,
   * then /logout, which empties the session and sends the browser to Okta's end-session endpoint.
   */
  express: {
    code: `const __session: Record<string, unknown> = {};
let __to = '';
const __res = { redirect: (url: string) => { __to = url; }, send: (body: string) => console.log('then', body), json: (body: any) => console.log('then', body.profile.login) };
const __route = (path: string) => (globalThis as any).__routes.get(path);
const __kept = () => Object.keys(__session).filter((key) => __session[key] !== undefined).join(' ');
await __route('/login')({ originalUrl: '/login', session: __session }, __res);
const { fillSignInForm } = await import('@org/okta-test-utils');
const __callback = new URL(await fillSignInForm(new URL(__to), (globalThis as any).__admin.login, (globalThis as any).__admin.password));
await __route('/callback')({ originalUrl: __callback.pathname + __callback.search, session: __session }, __res);
console.log('then redirected', __to, (__session.user as any)?.name);
console.log('then session', __kept());
await __route('/me')({ originalUrl: '/me', session: __session }, __res);
__to = '';
await __route('/callback')({ originalUrl: __callback.pathname + __callback.search, session: __session }, __res);
console.log('then replayed', __to, __kept());
__to = '';
await __route('/logout')({ originalUrl: '/logout', session: __session }, __res);
console.log('then signed out', new URL(__to).pathname, __kept() === '');`,
    prints: ['then redirected / Ada Admin', 'then session tokens user', 'then readme-admin@example.com', 'then replayed /login tokens user', 'then signed out /oauth2/v1/logout true'],
  },
};
