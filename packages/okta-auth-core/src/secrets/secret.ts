import { cookieSecrets } from './cookie-secrets.js';
import { redact } from './redact.js';
import { fold, needles, prefixRuns } from './secret-forms.js';

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
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.2
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

/** A list's secrets (8 characters or more, each once), each folded, and its needles once a text had room for them. */
interface Prepared {
  readonly listed: readonly string[];
  readonly folded: readonly string[];
  /** The folded secrets whose cut echo is looked for: not one that ends with another listed (`SSWS token`, `id:secret`: its secret part is looked for, not the scheme or the client id). */
  readonly cuttable: readonly string[];
  readonly needles: (readonly string[] | undefined)[];
}

/** The lists scrubbed so far, by the array given: an error scrubs its message, fields, causes and challenge parameters with one. */
const preparedLists = new WeakMap<object, Prepared>();

/** The list prepared: as before for the same array unchanged since (a caller may change its array), else anew. */
function prepared(secrets: Iterable<string>): Prepared {
  const listed = distinctSecrets(secrets);
  const known = typeof secrets === 'object' ? preparedLists.get(secrets) : undefined;
  if (known?.listed.length === listed.length && known.listed.every((secret, i) => secret === listed[i])) return known;
  const folded = listed.map((secret) => fold(secret)[0]);
  const cuttable = listed.flatMap((secret, i) => (listed.some((part) => part !== secret && secret.endsWith(part)) ? [] : [folded[i] ?? '']));
  const made: Prepared = { listed, folded, cuttable, needles: [] };
  if (typeof secrets === 'object') preparedLists.set(secrets, made);
  return made;
}

/**
 * Replaces every echo of the given secret values in a text with a mask. Used on text that came
 * from outside (an error body that echoes a header, say) before it goes into an error message.
 * An echo is found as it was sent and in a changed form: its case changed, percent- or
 * form-encoded (any characters, hex in either case, once or twice), JSON-escaped (`\/`,
 * `\u00xx`), as HTML character references (`&#47;`, `&#x2F;`, `&amp;`), in base64 or base64url at
 * any offset (the characters that encode its bytes alone), a base64 block wrapped in lines, its bytes in hex (either case), and
 * cut (its first or its last half or more, 12 characters at least). An exact echo of a value in the list is
 * shown as {@link redact} shows it (`[redacted …abcd]`); any other echo, and overlapping or
 * adjacent echoes, as one `[redacted]`: nothing of its characters, in any form. Values under 8
 * characters, and changed forms under 8, are not matched (they would blank ordinary words). The
 * work for a list is done once per array given. See docs/SECURITY.md, "What `scrub` masks"; how
 * its rules came about: docs/security-history.md, "Twentyfifth session: echoed secrets in a
 * changed form", "Twentysixth session: echoed secrets, reviewed" and "A secret's cut end, a
 * cleared token cache, empty flags (Twentyseventh session)".
 *
 * @example
 * ```ts
 * const token = 'the-api-token-value-abcd';
 * scrub(`bad token ${token}`, [token]); // 'bad token [redacted …abcd]'
 * scrub(`bad token ${token.toUpperCase()}`, [token]); // 'bad token [redacted]'
 * ```
 */
export function scrub(text: string, secrets: Iterable<string>): string {
  const list = prepared(secrets);
  if (list.listed.length === 0 || text.length < 8) return text;
  const [folded, from, to] = fold(text);
  // +1 where an echo starts, −1 where it ends: one step a mark, however many overlap.
  const edges = new Int32Array(text.length + 1);
  // A secret's needles are made once a text has room for its folded form, the shortest of them (most texts are short: a path, a request id).
  const all = new Set<string>();
  list.listed.forEach((secret, i) => {
    const short = list.folded[i] ?? '';
    if (short.length <= folded.length) for (const needle of (list.needles[i] ??= needles(secret, short))) all.add(needle);
  });
  // The span of the text that folded units `at` to `end` came from.
  const mark = (at: number, end: number): void => {
    const [start, stop] = [from?.[at] ?? at, to?.[end - 1] ?? end];
    edges[start] = (edges[start] ?? 0) + 1;
    edges[stop] = (edges[stop] ?? 0) - 1;
  };
  for (const needle of all) prefixRuns(folded, needle, needle.length, mark);
  // A cut echo: the first half of a secret or more (12 characters at least), as a server that
  // shortens what it quotes keeps it, or its last half or more (the start cut off: the same search
  // on both reversed). Less than half is left, and the client id of `id:secret`.
  let back: string | undefined;
  for (const whole of list.cuttable) {
    const least = Math.max(12, Math.ceil(whole.length / 2));
    if (least < whole.length && least <= folded.length) {
      prefixRuns(folded, whole, least, mark);
      prefixRuns((back ??= reversed(folded)), reversed(whole), least, (at, end) => {
        mark(folded.length - end, folded.length - at);
      });
    }
  }
  // 1 where an echo is (overlapping and adjacent echoes are masked as one), 0 after the end.
  const hit = new Uint8Array(text.length + 1);
  for (let at = 0, open = 0; at < text.length; at++) hit[at] = (open += edges[at] ?? 0) > 0 ? 1 : 0;
  let out = '';
  let done = 0;
  for (let start = hit.indexOf(1); start >= 0; start = hit.indexOf(1, done)) {
    const end = hit.indexOf(0, start);
    const shown = text.slice(start, end);
    out += `${text.slice(done, start)}${list.listed.includes(shown) ? redact(shown) : '[redacted]'}`;
    done = end;
  }
  return out + text.slice(done);
}

/** `text`'s UTF-16 units in reverse order (a pair's halves too: both sides of a search are reversed alike). */
const reversed = (text: string): string => text.split('').reverse().join('');

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

/**
 * The secrets in one credential header value, as sent: the value, its credentials after the scheme,
 * and for `Basic` the decoded `id:secret` and the secret, when the secret is one `scrub` looks for (a `Cookie`'s are `cookieSecrets`'). `scrub`
 * finds their encoded forms (percent, form, base64, …) itself. @internal
 */
export function credentialValueSecrets(value: string): string[] {
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
      // id:secret and its secret; of a secret too short to look for (under 8 characters: never Okta's) or none, nothing: its
      // cut echo would be the client id alone (an ID token's `aud` read as one refused every sign-in of such a client; rev163).
      // No colon: the decoded value, twice (listed once).
      if (colon < 0 || decoded.length - colon > 8) out.push(decoded, decoded.slice(colon + 1));
    } catch {
      // not base64: the raw value is scrubbed already
    }
  }
  return out;
}

/** The secret fields of a form body, as sent (decoded from the form: `scrub` finds their encoded forms). @internal */
export function formSecrets(formBody: string): string[] {
  const out: string[] = [];
  for (const [name, value] of new URLSearchParams(formBody)) {
    if (secretFormFields.has(name.toLowerCase())) out.push(value);
  }
  return out;
}

/** Each value once, in order, without those too short to scrub (`scrub` skips them): `scrub`'s own list too. @internal */
export function distinctSecrets(values: Iterable<string>): string[] {
  return [...new Set(values)].filter((value) => value.length >= 8);
}

/**
 * Every secret one request attempt carries: its credential headers (`Authorization` with the
 * credentials after the scheme and, for `Basic`, the decoded `id:secret` and secret; `DPoP`;
 * cookies) and the secret fields of its form body (`token`, `refresh_token`, `client_secret`,
 * `client_assertion`, `code`, `code_verifier`, `device_code`, …), each once as sent: `scrub`
 * finds an echo in an encoded form (percent, form, base64, …) itself.
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
    if (value !== null) out.push(...(name === 'cookie' ? cookieSecrets(value) : credentialValueSecrets(value)));
  }
  out.push(...formSecrets(formBody));
  return distinctSecrets(out);
}
