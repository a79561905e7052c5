/**
 * The body of an answer handed to the caller is bounded (32 MiB, the page bound): a hostile or broken org
 * answering 200 with a gzip bomb, or with a body that goes on as fast as the link does, fails the
 * caller's read with `INVALID_RESPONSE` once 32 MiB (decompressed) were read, through every driver and
 * every way of reading it, and the read stops there (docs/SECURITY.md, "Bounds"). Before, only
 * `timeoutMs` bounded such a read (ra142: 100 KiB of gzip took `.json()` to 400 MiB of memory).
 */
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { failure, type ScriptedServer } from '@org/okta-test-utils';
import ky from 'ky';
import { describe } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { itWithScriptedServer } from '../test-helpers/scripted-server.js';
import { createOktaFetch } from './okta-fetch.js';

const MiB = 2 ** 20;
/** What the hostile org sends at most (inflated): twice the bound, then a `]` that would make it valid JSON. */
const sentMiB = 64;
/** One gzip member inflating to 1 MiB of spaces (about 1 KiB): members follow one another in one gzip body. */
const member = gzipSync(Buffer.alloc(MiB, 0x20));
const spaces = Buffer.alloc(MiB, 0x20);

/**
 * Writes `chunks` (a `[`, `sentMiB` chunks, a `]`) as the client takes them (backpressure), counting each
 * chunk of `sentMiB` handed to the socket, and stops when the client goes away.
 */
function pump(res: ServerResponse, chunks: { first: Buffer; each: Buffer; last: Buffer }, sent: { count: number }): void {
  res.write(chunks.first);
  const more = (): void => {
    while (!res.destroyed && sent.count < sentMiB) {
      sent.count++;
      if (!res.write(chunks.each)) return;
    }
    if (!res.destroyed) res.end(chunks.last);
  };
  res.on('drain', more);
  more();
}

const bodies = {
  'a gzip bomb (Content-Encoding: gzip, 1 KiB per MiB inflated)': { headers: { 'content-encoding': 'gzip' }, first: gzipSync('['), each: member, last: gzipSync(']') },
  'an uncompressed body that goes on': { headers: {}, first: Buffer.from('['), each: spaces, last: Buffer.from(']') },
};

/** Each test's own org (the `okta` fixture). */
const it = itWithScriptedServer;

/** The bytes (decompressed) the driver read from what fetch resolved with. */
function countingFetch(read: { bytes: number }): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const counted = response.body?.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          read.bytes += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, response);
  };
}

function serve(okta: ScriptedServer, body: (typeof bodies)[keyof typeof bodies], sent: { count: number }): void {
  okta.handle((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', ...body.headers });
    pump(res, body, sent);
  });
}

/** Each driver's ways of reading: the Response's own methods, and ky's ResponsePromise shortcuts (`.json()` reads text, then parses). */
const reads = {
  fetch: ['response.json', 'response.text', 'response.arrayBuffer'],
  'ky instance': ['json', 'text', 'response.arrayBuffer'],
  'ky hooks on your own instance': ['json', 'text', 'response.arrayBuffer'],
} as const;

describe.each(Object.entries(bodies))('a 200 answering %s', (_name, body) => {
  const cases = Object.entries(reads).flatMap(([driver, ways]) => ways.map((way: string) => ({ driver, way })));
  it.for(cases)('$driver, $way: INVALID_RESPONSE past 32 MiB, and the read stops', async ({ driver, way }, { okta, expect }) => {
    // The MiB the org handed to the socket.
    const sent = { count: 0 };
    serve(okta, body, sent);
    const read = { bytes: 0 };
    const options = { credential: countingCredential(okta.origin), timeoutMs: 60_000, fetch: countingFetch(read) };
    const call = (): Promise<unknown> => {
      if (driver === 'fetch') return createOktaFetch(options)('/api/v1/users').then((response) => response[way === 'response.json' ? 'json' : way === 'response.text' ? 'text' : 'arrayBuffer']());
      const api = driver === 'ky instance' ? createOktaKy(options) : ky.create({ baseUrl: `${okta.origin}/`, fetch: options.fetch, hooks: oktaKyHooks(options) });
      const answer = api.get('api/v1/users');
      return way === 'json' ? answer.json() : way === 'text' ? answer.text() : answer.then((response) => response.arrayBuffer());
    };
    const error = await failure(call(), isOktaAuthError);
    expect({ code: error.code, message: error.message }).toEqual({
      code: 'INVALID_RESPONSE',
      message: `GET ${okta.origin.replace('http://', '')}/api/v1/users: the answer is larger than 32 MiB; ask for smaller pages (limit).`,
    });
    // Read up to the bound and one chunk past it (a few KiB), never the 64 MiB sent.
    expect(read.bytes).toBeGreaterThan(32 * MiB);
    expect(read.bytes).toBeLessThan(33 * MiB);
    // Uncompressed, the org could write no more than the bound and what the sockets buffer.
    if (body === bodies['an uncompressed body that goes on']) expect(sent.count).toBeLessThan(48);
  });
});

it('a body of exactly 32 MiB is read whole', async ({ okta, expect }) => {
  okta.handle((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(Buffer.concat([Buffer.from('['), Buffer.alloc(32 * MiB - 2, 0x20), Buffer.from(']')]));
  });
  expect(await (await createOktaFetch({ credential: countingCredential(okta.origin) })('/api/v1/users')).json()).toEqual([]);
});

// undici reads a status line as UTF-8 and keeps control characters, which a Response refuses in its status text:
// the answer handed on is the one fetch gave (bounded in place), never a copy, which that status text would refuse.
it.for(Object.keys(reads))("%s: a 200 whose status text no Response takes (U+202E, a control character) is handed on as it came, its body read", async (driver, { okta, expect }) => {
  okta.handle((_req, res) => {
    res.socket?.end(Buffer.from('HTTP/1.1 200 OK\u202e\u0001\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n[]'));
  });
  const options = { credential: countingCredential(okta.origin) };
  const answer =
    driver === 'fetch'
      ? await createOktaFetch(options)('/api/v1/users')
      : await (driver === 'ky instance' ? createOktaKy(options) : ky.create({ baseUrl: `${okta.origin}/`, hooks: oktaKyHooks(options) })).get('api/v1/users');
  expect({ status: answer.status, statusText: answer.statusText, url: answer.url, body: await answer.json() }).toEqual({ status: 200, statusText: 'OK\u202e\u0001', url: `${okta.origin}/api/v1/users`, body: [] });
});

it("the answer handed on keeps its url, on its clones too: a base instance's afterResponse hook sees it (ky clones the answer for it)", async ({ okta, expect }) => {
  const urls: string[] = [];
  const base = ky.create({ hooks: { afterResponse: [({ response }) => void urls.push(response.url)] } });
  const answer = await createOktaKy({ credential: countingCredential(okta.origin), ky: base }).get('api/v1/users');
  urls.push(answer.url, answer.clone().url, (await createOktaFetch({ credential: countingCredential(okta.origin) })('/api/v1/users')).clone().url);
  expect(urls).toEqual(Array(4).fill(`${okta.origin}/api/v1/users`));
});
