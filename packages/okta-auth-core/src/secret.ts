const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * Shows a secret as a fixed mask: `[redacted]`, or `[redacted …abcd]` with
 * its last four characters when it is long enough (24 characters or more)
 * that four reveal nothing useful.
 *
 * @example
 * ```ts
 * redact('00QCjAl4MlV-WPXM0HmjFx-vbGua0HmjFx'); // '[redacted …FxZ9]'
 * ```
 */
export function redact(value: string): string {
  return value.length >= 24 ? `[redacted …${value.slice(-4)}]` : '[redacted]';
}

/**
 * A string that never shows itself: `toString`, `toJSON`,
 * `JSON.stringify`, template literals and `util.inspect` all print a mask.
 * Call {@link Secret.reveal} at the one place the value must go on the wire.
 *
 * Every package keeps API tokens, client secrets, access and refresh tokens
 * in a `Secret`.
 *
 * @example
 * ```ts
 * const headers = new Headers();
 * const token = new Secret(process.env.OKTA_CLIENT_TOKEN ?? '');
 * console.log(`${token}`); // [redacted …Z9a1]
 * headers.set('authorization', `SSWS ${token.reveal()}`);
 * ```
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself. Use it only to put it on the wire. */
  reveal(): string {
    return this.#value;
  }

  /** The mask, as {@link redact} gives it. */
  toString(): string {
    return redact(this.#value);
  }

  /** What `JSON.stringify` writes: the mask, never the value. */
  toJSON(): string {
    return this.toString();
  }

  /** What `util.inspect` shows: the mask, never the value. */
  [inspectSymbol](): string {
    return this.toString();
  }
}

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
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [rawName, value] of entries) {
    const name = rawName.toLowerCase();
    if (!secretHeaders.has(name)) {
      out[name] = value;
      continue;
    }
    const space = value.indexOf(' ');
    out[name] =
      name === 'authorization' && space > 0 && space < 16
        ? `${value.slice(0, space)} ${redact(value.slice(space + 1))}`
        : redact(value);
  }
  return out;
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
  for (const secret of secrets) {
    if (secret.length >= 8 && result.includes(secret)) result = result.split(secret).join(redact(secret));
  }
  return result;
}
