import { OktaAuthError } from '../errors/errors.js';

/**
 * The one check of a call's URL, for both drivers (`createOktaFetch`'s fetch, a `createOktaKy`
 * instance), as ky takes it: a `Request` (returned as it is: the runtime refuses a Request whose URL
 * has a user name or password), else a string or a `URL`, resolved against the org (`base`) and
 * without a user name or password. Anything else is no URL: made text, a plain object was the
 * path `/[object Object]` and an array `/`, sent with the credential. Refused with
 * `INVALID_CONFIG` naming the `driver`, never quoting the input. @internal
 */
export function requestUrl(input: unknown, base: string, driver: string): URL | Request {
  if (input instanceof Request) return input;
  let url: URL | undefined;
  if (typeof input === 'string' || input instanceof URL) {
    try {
      url = new URL(input, base);
    } catch {
      // Refused below, without the runtime's message (it quotes the input).
    }
  }
  if (url === undefined) throw new OktaAuthError('INVALID_CONFIG', `The URL passed to ${driver} is not a valid URL: pass a path such as "/api/v1/users" or a URL on the org.`);
  if (url.username !== '' || url.password !== '') {
    throw new OktaAuthError('INVALID_CONFIG', `The URL passed to ${driver} carries a user name or password: remove them (the credential authorizes every request).`);
  }
  return url;
}
