/**
 * A tracing `fetch` that, on a real connection drop at the emulator, rethrows with what it sent: the
 * `NETWORK_ERROR` keeps no `cause` but a runtime's own network error (`failure.ts` `keptCause`), in
 * every driver, whatever shape holds the secret; undici's own failures (a drop, a refused port, a DNS
 * failure) stay the cause. A rejection whose fields throw when read is `NETWORK_ERROR` without cause.
 */
import { createServer, type AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { OktaAuthError } from '../errors/errors.js';
import { drivers } from '../test-helpers/drivers.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { printed } from '../test-helpers/printed.js';
import type { OktaCredential } from '../credential.js';

const org = useApiTokenOrg();
const users = '/api/v1/users/me';

/** What the tracing wrapper throws: the request it sent, and the runtime's error. */
type Wrap = (request: Request, error: unknown) => unknown;

const authorization = (request: Request): string => request.headers.get('authorization') ?? '';
const leaking: [string, Wrap][] = [
  ['headers as a plain object', (r, e) => Object.assign(new TypeError('fetch failed', { cause: e }), { headers: Object.fromEntries(r.headers) })],
  ['the Request itself', (r, e) => Object.assign(new TypeError('fetch failed', { cause: e }), { request: r })],
  ['an AggregateError of attempts', (r, e) => new AggregateError([e, new Error(`GET with ${authorization(r)}`)], 'fetch failed')],
  ['a string', (r) => `fetch failed; authorization=${authorization(r)}`],
  ['a Symbol key', (r, e) => Object.assign(new TypeError('fetch failed', { cause: e }), { [Symbol('auth')]: authorization(r) })],
  ['a Map field', (r, e) => Object.assign(new TypeError('fetch failed', { cause: e }), { sent: new Map([['authorization', authorization(r)]]) })],
  ['an array field', (r, e) => Object.assign(new TypeError('fetch failed', { cause: e }), { headers: [...r.headers] })],
  ['halves in two fields', (r, e) => Object.assign(new TypeError('fetch failed', { cause: e }), { a: authorization(r).slice(0, 20), b: authorization(r).slice(20) })],
  ['what it sent, nested', (r, e) => Object.assign(new TypeError('fetch failed', { cause: e }), { sent: { body: '', auth: authorization(r) } })],
  [
    'a cause 6 deep',
    (r, e) => {
      let error = new Error(authorization(r), { cause: e });
      for (let i = 0; i < 5; i++) error = new Error('wrap', { cause: error });
      return new TypeError('fetch failed', { cause: error });
    },
  ],
  // Containers whose entries are no own keys (ra153): only an Error, an array or a plain object is looked into.
  ['the Headers as the cause', (r) => new TypeError('fetch failed', { cause: r.headers })],
  ['a Map as the cause', (r) => new TypeError('fetch failed', { cause: new Map(r.headers) })],
  ['a Map among an AggregateError\'s errors', (r, e) => new AggregateError([e, new Map(r.headers)], 'fetch failed')],
  ['a getter', (r, e) => Object.defineProperty(new TypeError('fetch failed', { cause: e }), 'info', { get: () => authorization(r) })],
  // ra157: an own getter on a field the runtime's errors have, clean text while checked (its first reads), the header after.
  ['a message getter that turns', (r, e) => turning(new TypeError('fetch failed', { cause: e }), 'message', authorization(r))],
  ['a stack getter that turns', (r, e) => turning(new TypeError('fetch failed', { cause: e }), 'stack', authorization(r))],
  // ra155: what no own key shows. A class of the tracer's (a private field, inspect and toJSON on its prototype), a Proxy hiding its fields.
  ['a class of its own (a private field, inspect and toJSON)', (r, e) => new Traced(authorization(r), { cause: e })],
  [
    'a Proxy whose ownKeys hide its fields',
    (r, e) => new Proxy(Object.assign(new TypeError('fetch failed', { cause: e }), { request: { headers: Object.fromEntries(r.headers) } }), { ownKeys: () => ['stack', 'message'] }),
  ],
  // The token in a key's name (word characters: `wordOrg`'s token), and hex-encoded in the message.
  ['a key named bytes<token>', (r, e) => Object.assign(new TypeError('fetch failed', { cause: e }), { [`bytes${authorization(r).slice(5)}`]: 1 })],
  ['a Symbol(undici.error.<token>) key', (r, e) => Object.assign(new TypeError('fetch failed', { cause: e }), { [Symbol(`undici.error.${authorization(r).slice(5)}`)]: true })],
  ['the header in lower-case hex', (r, e) => new TypeError(`fetch failed ${hex(authorization(r))}`, { cause: e })],
  ['the header in upper-case hex', (r, e) => new TypeError(`fetch failed ${hex(authorization(r)).toUpperCase()}`, { cause: e })],
];

/** `error` with an own getter on `key` that answers its clean text for its first 4 reads, then `later` with it. */
function turning(error: Error, key: 'message' | 'stack', later: string): Error {
  const clean = error[key];
  let reads = 0;
  return Object.defineProperty(error, key, { get: () => (++reads > 4 ? `${clean} ${later}` : clean), configurable: true, enumerable: key === 'message' });
}

const hex = (text: string): string => Buffer.from(text).toString('hex');

/** A tracer's own error class: what it holds is in a private field, shown by its prototype's `util.inspect.custom` and `toJSON`. */
class Traced extends TypeError {
  readonly #sent: string;
  constructor(sent: string, options: ErrorOptions) {
    super('fetch failed', options);
    this.#sent = sent;
  }
  [inspect.custom](): string {
    return `Traced(fetch failed, authorization=${this.#sent})`;
  }
  toJSON(): unknown {
    return { authorization: this.#sent };
  }
}

/** An API token of word characters only (a key named `bytes\w+` took it whole), and an OIN app's Basic header (`id:secret`). */
const wordToken = '00Wq7kZ3xR9mT2vB8nL4pY6cH1dF5gJ0sAx9K1';
const basic = { id: '0oa1b2c3d4e5f6g7h8i9', secret: 'kJ8s2mQ4vX7zB1nR5tY9wC3eF6hL0pA2dG4jK7mN' };
const credentials = {
  'an API token of word characters': (origin: string): OktaCredential => ({ kind: 'ssws', origin, authorize: () => Promise.resolve({ authorization: `SSWS ${wordToken}` }) }),
  "an OIN app's Basic header": (origin: string): OktaCredential => ({ kind: 'oin', origin, authorize: () => Promise.resolve({ authorization: `Basic ${btoa(`${basic.id}:${basic.secret}`)}` }) }),
};

describe.each(Object.keys(drivers))('%s', (name) => {
  // Your own ky instance retries a GET on its own (`retry: false` is ours): every attempt is dropped, the rest cleared after.
  const dropped = (): void => {
    org.org.injectFault({ path: users, kind: 'drop', count: name === 'ky hooks on your own instance' ? 20 : 1 });
  };
  afterEach(() => {
    org.org.clearFaults();
  });
  const failure = (fetch: typeof globalThis.fetch, url = org.org.url, credential = org.ssws(url)): Promise<unknown> =>
    // Your own instance's ky retries every drop without its backoff (4.5 s a row before): only what is kept counts here.
    drivers[name]!({ credential, fetch, retry: false, noBackoff: true })
      .getJson(users)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
  const traced =
    (wrap: Wrap): typeof globalThis.fetch =>
    async (input, init) => {
      const request = new Request(input, init);
      try {
        return await fetch(request);
      } catch (error) {
        throw wrap(request, error);
      }
    };

  it.each(leaking)('a rejection holding the token in %s: NETWORK_ERROR without cause', async (_, wrap) => {
    dropped();
    let thrown: unknown;
    const error = await failure(traced((r, e) => (thrown = wrap(r, e))));
    // A string (no Error) reaches a ky caller as itself (ky's rule); the fetch driver types it.
    if (error === thrown) return expect(typeof thrown).toBe('string');
    expect(error).toMatchObject({ code: 'NETWORK_ERROR' });
    expect((error as Error).cause).toBeUndefined();
    for (const text of [...printed(error), inspect(error, { showHidden: true, depth: 10 })]) for (const part of [org.token.slice(5, 25), org.token.slice(-16)]) expect(text).not.toContain(part);
  });

  it.each(leaking.slice(-6).flatMap(([shape, wrap]) => Object.keys(credentials).map((held) => [shape, held, wrap] as const)))(
    'a rejection holding %s, for %s: NETWORK_ERROR without cause',
    async (_, held, wrap) => {
      dropped();
      const error = await failure(traced(wrap), org.org.url, credentials[held as keyof typeof credentials](org.org.url));
      expect(error).toMatchObject({ code: 'NETWORK_ERROR' });
      expect((error as Error).cause).toBeUndefined();
      const parts = held === "an OIN app's Basic header" ? [basic.secret, btoa(`${basic.id}:${basic.secret}`).slice(8)] : [wordToken.slice(0, 20), wordToken.slice(-16)];
      for (const text of [...printed(error), inspect(error, { showHidden: true, depth: 10 })]) for (const part of parts) for (const shown of [part, hex(part), hex(part).toUpperCase()]) expect(text).not.toContain(shown);
    },
  );

  it("keeps undici's own failure as the cause: a dropped connection", async () => {
    dropped();
    const error = await failure(traced((_, e) => e));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', cause: { message: 'fetch failed', cause: { code: 'UND_ERR_SOCKET' } } });
  });

  it("keeps undici's own failure as the cause: a refused port and a DNS failure", async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const refused = await failure(fetch, `http://127.0.0.1:${port}`);
    expect(refused).toMatchObject({ code: 'NETWORK_ERROR', cause: { message: 'fetch failed', cause: { code: 'ECONNREFUSED', port } } });
    const both = await failure(fetch, `http://localhost:${port}`);
    expect(both).toMatchObject({ code: 'NETWORK_ERROR', cause: { message: 'fetch failed', cause: { code: 'ECONNREFUSED' } } });
    const dns = await failure(fetch, 'http://okta-emulator.invalid');
    expect(dns).toMatchObject({ code: 'NETWORK_ERROR', cause: { message: 'fetch failed', cause: { code: 'ENOTFOUND' } } });
  });

  it.each([
    ['a throwing name', () => Object.defineProperty(new TypeError('x'), 'name', { get: () => { throw new Error('getter'); } })],
    ['a throwing cause', () => Object.defineProperty(new TypeError('x'), 'cause', { get: () => { throw new Error('getter'); } })],
    ['a throwing code', () => Object.defineProperty(new TypeError('x'), 'code', { get: () => { throw new Error('getter'); } })],
    ['a revoked Proxy', () => { const { proxy, revoke } = Proxy.revocable(new TypeError('x'), {}); revoke(); return proxy; }],
  ])('a rejection with %s: NETWORK_ERROR without cause', async (_, rejection) => {
    const error = await failure(() => Promise.reject(rejection()));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR' });
    expect((error as Error).cause).toBeUndefined();
  });

  it("a rejection named NotCapable (Deno's, without --allow-net): only Deno's own words in the message, bounded", async () => {
    const forged = Object.assign(new Error(`Requires net access\r\n${'A'.repeat(100_000)}`), { name: 'NotCapable' });
    const error = await failure(() => Promise.reject(forged));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR' });
    expect((error as Error).message).not.toMatch(/[\r\n]|AAAA/);
    const deno = Object.assign(new Error('Requires net access to "127.0.0.1:9", run again with the --allow-net flag'), { name: 'NotCapable' });
    expect(await failure(() => Promise.reject(deno))).toMatchObject({ message: expect.stringContaining('(Requires net access to "127.0.0.1:9", run again with the --allow-net flag).') });
  });

  it('a rejection that is an okta-auth error: itself, sent once (never resent as a network failure)', async () => {
    const ours = new OktaAuthError('LOGIN_REQUIRED', 'signed out');
    let sent = 0;
    const error = await failure(() => {
      sent += 1;
      return Promise.reject(ours);
    });
    expect(error).toBe(ours);
    expect(sent).toBe(1);
  });
});
