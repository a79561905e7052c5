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

/**
 * Replaces every occurrence of the given secret values in a text with their
 * mask. Used on text that came from outside (an error body that echoes a
 * header, say) before it goes into an error message.
 *
 * @example
 * ```ts
 * const token = 'the-api-token-value-abcd';
 * scrub(`bad token ${token}`, [token]); // 'bad token [redacted …abcd]'
 * ```
 */
export function scrub(text: string, secrets: Iterable<string>): string {
  let result = text;
  // Longest first: a secret that contains another (`Basic …` and its decoded secret) goes whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 8 && result.includes(secret)) result = result.split(secret).join(redact(secret));
  }
  return result;
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
