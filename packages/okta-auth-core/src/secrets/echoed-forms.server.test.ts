/**
 * An answer that echoes the request's credential in a changed form (case changed, percent- or
 * form-encoded in lower-case hex, JSON-escaped inside a quoted text, base64 or base64url of the
 * header block at each offset; HTML character references, percent-encoded twice, cut), over real HTTP from a scripted hostile org on 127.0.0.1 (Okta
 * echoes nothing of the kind): the one scrubber (`secret.ts` `scrub`) masks each in the message,
 * the fields, `JSON.stringify`, `util.inspect` and the log events of both drivers, showing none
 * of its characters, not even its last four (docs/security-history.md, "Twentyfifth session: echoed
 * secrets in a changed form" and "Twentysixth session: echoed secrets, reviewed").
 */
import { randomBytes } from 'node:crypto';
import { failure, json } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaApiError } from '../errors/api-error.js';
import type { OktaCredential } from '../credential.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import type { OktaLogEvent, OktaLogger } from '../config/logger.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { printed } from '../test-helpers/printed.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

const hostile = useScriptedServer();

/** An API token with the characters encodings change (`/`, `+`) and both cases. */
const token = `00Tk/en+${randomBytes(24).toString('base64url')}Zz`;
const credential = (origin: string): OktaCredential => ({ kind: 'test', origin, authorize: () => Promise.resolve({ authorization: `SSWS ${token}` }) });

const hex = (text: string): string => text.replace(/[^]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
const lowerHex = (text: string): string => text.replace(/%[\dA-F]{2}/g, (escape) => escape.toLowerCase());
const jsonEscaped = (text: string): string => JSON.stringify(text).slice(1, -1).replace(/\//g, '\\/').replace(/\+/g, '\\u002b');
const htmlDecimal = (text: string): string => text.replace(/[^]/g, (c) => `&#${c.charCodeAt(0)};`);
const htmlHex = (text: string): string => text.replace(/[/+=]/g, (c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`);
const base64url = (text: string): string => text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '');
/** What an echo of the header block shows: the request line (cut to shift the token's offset) and the header. */
const block = (offset: number, authorization: string): string => `${'GET /api/v1/users HTTP/1.1\r\n'.slice(offset)}authorization: ${authorization}\r\n`;
/** The base64 characters that encode the token's bytes alone, in the block at `offset`. */
function innerRun(offset: number): string {
  const before = block(offset, 'SSWS ').length - 2;
  const bytes = '\0'.repeat(before % 3) + token;
  return btoa(bytes).slice(Math.ceil(((before % 3) * 4) / 3), Math.floor((bytes.length * 4) / 3));
}

/** Each form: what the org echoes of the `Authorization` value it got, and what of the token it shows there. */
const forms: [string, (authorization: string) => string, string][] = [
  ['upper-cased', (value) => value.toUpperCase(), token.toUpperCase()],
  ['lower-cased', (value) => value.toLowerCase(), token.toLowerCase()],
  ['percent-encoded whole, lower-case hex', hex, hex(token)],
  ['form-encoded, lower-case hex', (value) => lowerHex(new URLSearchParams({ value }).toString().slice(6)), lowerHex(new URLSearchParams({ token }).toString().slice(6))],
  ['JSON-escaped inside a quoted text', (value) => `{"authorization":"${jsonEscaped(value)}"}`, jsonEscaped(token)],
  ...[0, 1, 2].map((offset): [string, (authorization: string) => string, string] => [`base64 of the header block, token at offset ${offset}`, (value) => btoa(block(offset, value)), innerRun(offset)]),
  ['base64url of the header block', (value) => base64url(btoa(block(0, value))), base64url(innerRun(0))],
  // Twentysixth session: the forms a server's HTML escaper or a URL in a URL gives.
  ['HTML decimal character references', htmlDecimal, htmlDecimal(token)],
  ['HTML hex references (/ and + escaped against XSS)', htmlHex, htmlHex(token)],
  ['percent-encoded twice (a URL carried in a query)', (value) => encodeURIComponent(encodeURIComponent(value)), encodeURIComponent(encodeURIComponent(token))],
  // A server that shortens what it quotes (the request id below is cut at 200 characters too).
  ['cut to its first 30 characters', (value) => `${value.slice(0, 'SSWS '.length + 30)}...`, token.slice(0, 30)],
  ['cut to its last 30 characters (its start cut off)', (value) => `...${value.slice(-30)}`, token.slice(-30)],
];

const drivers: [string, (logger: OktaLogger) => Promise<unknown>][] = [
  ['createOktaFetch', (logger) => createOktaFetch({ credential: credential(hostile.url), logger, retry: false, timeoutMs: 5_000 })('/api/v1/users')],
  ['createOktaKy', (logger) => createOktaKy({ credential: credential(hostile.url), logger, retry: false, timeoutMs: 5_000 }).get('api/v1/users').json()],
];

describe.each(drivers)('%s: an answer echoing the credential in a changed form', (_driver, call) => {
  it.each(forms)('%s: masked as [redacted] in the message, the fields, JSON, inspect and the log', async (_form, echo, shown) => {
    hostile.handle((request, res) => {
      const echoed = echo(String(request.headers.authorization));
      json(res, 400, { errorCode: 'E0000001', errorSummary: `upstream said: ${echoed}`, errorCauses: [{ errorSummary: echoed }] }, { 'x-okta-request-id': echoed.slice(0, 200) });
    });
    const events: OktaLogEvent[] = [];
    const error = await failure(call((event) => events.push(event)), isOktaApiError);
    // The org did echo the token in that form (the test can fail).
    expect(echo(`SSWS ${token}`)).toContain(shown);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^400 E0000001 upstream said: .*\[redacted\]/);
    expect(error.errorCauses[0]?.errorSummary).toContain('[redacted]');
    expect(error.requestId).toContain('[redacted]');
    expect(events.find((event) => event.type === 'response')).toMatchObject({ requestId: expect.stringContaining('[redacted]') });
    const everything = [error, ...events].flatMap(printed).join('\n');
    for (const hidden of [shown, token, shown.slice(0, 10), shown.slice(-10)]) expect(everything).not.toContain(hidden);
    // A changed form shows nothing of the token: no last four characters, in any form.
    expect(everything).not.toContain('[redacted …');
  });
});
