import { redact } from './redact.js';

// Each in its own module, so a bundle that only scrubs (the SSWS path) drops the class.
export { redact } from './redact.js';
export { Secret } from './secret-value.js';

/** Header names whose values are credentials, lower case. */
const secretHeaders = new Set(['authorization', 'dpop', 'cookie', 'set-cookie', 'proxy-authorization', 'x-api-key']);

/**
 * Copies headers into a plain object with every credential-bearing header
 * (`Authorization`, `DPoP`, cookies) masked: safe to log. The scheme of an
 * `Authorization` header is kept (`SSWS [redacted …abcd]`).
 *
 * @example
 * ```ts
 * declare const logger: { debug(value: unknown): void };
 * declare const request: Request;
 * logger.debug(redactHeaders(request.headers));
 * // { authorization: 'SSWS [redacted …Z9a1]', accept: 'application/json' }
 * ```
 */
export function redactHeaders(headers: Headers | Record<string, string>): Record<string, string> {
  // The names come from outside (an answer's headers): own keys made by Object.fromEntries, so `__proto__` is kept.
  const out: [string, string][] = [];
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [rawName, value] of entries) {
    const name = rawName.toLowerCase();
    if (!secretHeaders.has(name)) {
      out.push([name, value]);
      continue;
    }
    const space = value.indexOf(' ');
    out.push([name, name === 'authorization' && space > 0 && space < 16 ? `${value.slice(0, space)} ${redact(value.slice(space + 1))}` : redact(value)]);
  }
  return Object.fromEntries(out);
}

/** An escape an echo may put a character in: 1 to 4 UTF-8 bytes percent-encoded, JSON's `\uXXXX`, `\/`, `\\`, `\"`. */
const escape = /(?:%[\da-f]{2}){1,4}|\\u[\da-f]{4}|\\[\\/"]/iy;

/** Lower case (`İ` as `i`: the one mapping that would change the length), `+` a space (form encoding). */
const lowered = (text: string): string => text.replace(/\u0130/g, 'i').toLowerCase().replace(/\+/g, ' ');

/**
 * Text as it is compared with a secret, each unit with the span of `text` it came from (none: each
 * its own character): {@link lowered}, every escape decoded once, line breaks dropped (a wrapped
 * base64 block). The same folding of a secret and of an echo finds it in any of those forms.
 */
function fold(text: string): [string, Int32Array?, Int32Array?] {
  const lower = lowered(text);
  // Nothing to decode or drop (most text): each unit comes from its own character.
  if (!/[%\\\r\n]/.test(text)) return [lower];
  let out = '';
  // No escape decodes to more units than its characters.
  const from = new Int32Array(text.length);
  const to = new Int32Array(text.length);
  const utf8 = new TextDecoder();
  for (let at = 0; at < text.length; ) {
    let units = lower.charAt(at);
    let end = at + 1;
    if (units === '%' || units === '\\') {
      escape.lastIndex = at;
      const found = escape.exec(text)?.[0] ?? '';
      const percent = found.startsWith('%');
      const lead = parseInt(found.slice(1, 3), 16);
      // Percent-encoded: one byte as its code, more (as many as the first says) as UTF-8, a bad sequence as U+FFFD (no throw).
      const size = percent ? 3 * (lead < 0xc0 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4) : found.length;
      if (found !== '' && size <= found.length) {
        end = at + size;
        const json = found.length > 2 ? String.fromCharCode(parseInt(found.slice(2), 16)) : found.charAt(1);
        units = lowered(!percent ? json : size === 3 ? String.fromCharCode(lead) : utf8.decode(new Uint8Array(found.slice(1, size).split('%').map((hex) => parseInt(hex, 16)))));
      }
    }
    for (let k = 0; k < units.length; k++) {
      const unit = units.charAt(k);
      if (unit === '\r' || unit === '\n') continue;
      from[out.length] = at;
      to[out.length] = end;
      out += unit;
    }
    at = end;
  }
  return [out, from, to];
}

/**
 * What finds a secret in an echo: the secret folded (so its case changed, percent-, form- or
 * JSON-escaped), the same without decoding (the echo of a value that holds an escape, encoded),
 * and the base64 and base64url characters that encode the secret's bytes alone, for each of the
 * three offsets it can start at in a longer encoded text (a server echoing the base64 of a whole
 * header block). Each of 8 characters or more; none when the folded secret, the shortest of them,
 * is longer than the `room` of the folded text (a path, a request id: most texts are short).
 */
function needles(secret: string, room: number): string[] {
  const [folded] = fold(secret);
  if (folded.length > room) return [];
  const out = [folded, lowered(secret).replace(/[\r\n]/g, '')];
  let bytes = '';
  for (const byte of new TextEncoder().encode(secret)) bytes += String.fromCharCode(byte);
  for (let offset = 0; offset < 3; offset++) {
    const run = btoa('\0'.repeat(offset) + bytes).slice(Math.ceil((offset * 4) / 3), Math.floor(((offset + bytes.length) * 4) / 3));
    out.push(lowered(run), lowered(run.replace(/\+/g, '-').replace(/\//g, '_')));
  }
  return out.filter((needle) => needle.length >= 8);
}

/**
 * Replaces every echo of the given secret values in a text with a mask. Used on text that came
 * from outside (an error body that echoes a header, say) before it goes into an error message.
 * An echo is found as it was sent and in a changed form: its case changed, percent- or
 * form-encoded (any characters, hex in either case), JSON-escaped (`\/`, `\u00xx`), in base64
 * or base64url at any offset (the characters that encode its bytes alone), a base64 block wrapped
 * in lines. An exact echo of a value in the list is shown as {@link redact} shows it
 * (`[redacted …abcd]`); any other echo, and overlapping or adjacent echoes, as one `[redacted]`:
 * nothing of its characters, in any form. Values under 8 characters, and changed forms under 8,
 * are not matched (they would blank ordinary words). See docs/SECURITY.md, "Twentyfifth session:
 * echoed secrets in a changed form".
 *
 * @example
 * ```ts
 * const token = 'the-api-token-value-abcd';
 * scrub(`bad token ${token}`, [token]); // 'bad token [redacted …abcd]'
 * scrub(`bad token ${token.toUpperCase()}`, [token]); // 'bad token [redacted]'
 * ```
 */
export function scrub(text: string, secrets: Iterable<string>): string {
  const listed = new Set([...secrets].filter((secret) => secret.length >= 8));
  if (listed.size === 0 || text.length < 8) return text;
  const [folded, from, to] = fold(text);
  // 1 where an echo is (overlapping and adjacent echoes are masked as one), 0 after the end.
  const hit = new Uint8Array(text.length + 1);
  for (const needle of new Set([...listed].flatMap((secret) => needles(secret, folded.length)))) {
    for (let at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + 1)) hit.fill(1, from?.[at] ?? at, to?.[at + needle.length - 1] ?? at + needle.length);
  }
  let out = '';
  let done = 0;
  for (let start = hit.indexOf(1); start >= 0; start = hit.indexOf(1, done)) {
    const end = hit.indexOf(0, start);
    const shown = text.slice(start, end);
    out += `${text.slice(done, start)}${listed.has(shown) ? redact(shown) : '[redacted]'}`;
    done = end;
  }
  return out + text.slice(done);
}

/**
 * A URL's path as a message or log event shows it: scrubbed of the attempt's secrets, since a
 * path can be the server's choice (a `next` link) and echo one. @internal
 */
export function shownPath(url: URL, secrets: Iterable<string>): string {
  return scrub(url.pathname, secrets);
}

/** The request headers that may carry a credential. @internal */
export const requestCredentialHeaders = ['authorization', 'dpop', 'proxy-authorization', 'cookie', 'x-api-key'];

/** Form fields that carry secrets (RFC 6749, 7009, 7662, 7523, 8628, 8693), names lower case. */
const secretFormFields = new Set([
  'token',
  'refresh_token',
  'access_token',
  'id_token',
  'client_secret',
  'client_assertion',
  'code',
  'code_verifier',
  'device_code',
  'password',
  'assertion',
  'subject_token',
  'actor_token',
]);

/** A form-encoded value decoded (`+` a space, percent escapes), or as it is when it does not decode. @internal */
export function decodeForm(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * Characters that `encodeURIComponent` and form encoding (`URLSearchParams`) both leave as they
 * are: a value made only of them (a JWT, a DPoP proof, a base64url or most token68 values) is
 * its own encoding, so it is listed once without encoding it twice (`secret.test.ts` checks this
 * against both encoders).
 */
const selfEncoded = /^[\w.-]*$/;

/** The value, its form and URL encodings (an echo may carry either). */
function withEncodings(value: string): string[] {
  if (selfEncoded.test(value)) return [value];
  const out = [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)];
  return out.filter((v, i) => out.indexOf(v) === i);
}

/** The secrets in one credential header value: the value, its credentials after the scheme, and for `Basic` the decoded `id:secret` and the secret. */
function headerSecrets(value: string): string[] {
  const out = [value];
  const space = value.indexOf(' ');
  if (space <= 0) return out;
  const credentials = value.slice(space + 1).trim();
  out.push(credentials);
  if (value.slice(0, space).toLowerCase() === 'basic') {
    try {
      const binary = atob(credentials);
      const decoded = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
      const colon = decoded.indexOf(':');
      out.push(decoded);
      if (colon >= 0) out.push(decoded.slice(colon + 1), decodeForm(decoded.slice(colon + 1)));
    } catch {
      // not base64: the raw value is scrubbed already
    }
  }
  return out;
}

/** The secrets in one credential header value (see `headerSecrets`), each with its encodings. @internal */
export function credentialValueSecrets(value: string): string[] {
  const out: string[] = [];
  for (const secret of headerSecrets(value)) out.push(...withEncodings(secret));
  return out;
}

/** The secret fields of a form body, each with its encodings. @internal */
export function formSecrets(formBody: string): string[] {
  const out: string[] = [];
  for (const [name, value] of new URLSearchParams(formBody)) {
    if (secretFormFields.has(name.toLowerCase())) out.push(...withEncodings(value));
  }
  return out;
}

/** Each value once, without those too short to scrub (`scrub` skips them). @internal */
export function distinctSecrets(values: readonly string[]): string[] {
  return values.filter((v, i) => v.length >= 8 && values.indexOf(v) === i);
}

/**
 * Every secret one request attempt carries: its credential headers (`Authorization` with the
 * credentials after the scheme and, for `Basic`, the decoded `id:secret` and secret; `DPoP`;
 * cookies) and the secret fields of its form body (`token`, `refresh_token`, `client_secret`,
 * `client_assertion`, `code`, `code_verifier`, `device_code`, …), each raw and URL-encoded.
 * Every error, message, field and log event built from that attempt's answer is scrubbed with
 * this list. Internal (exported from `@org/okta-auth-core/internal`).
 *
 * @example
 * ```ts
 * const secrets = requestSecrets(request.headers, await request.clone().text());
 * scrub(answerText, secrets);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function requestSecrets(headers: Headers, formBody = ''): string[] {
  const out: string[] = [];
  for (const name of requestCredentialHeaders) {
    const value = headers.get(name);
    if (value !== null) out.push(...credentialValueSecrets(value));
  }
  out.push(...formSecrets(formBody));
  return distinctSecrets(out);
}
