/**
 * Which names the web demo answers to. It listens on 127.0.0.1 only, but a page on any site can
 * still reach it by DNS rebinding: `evil.example` first resolves to the attacker's server, then to
 * 127.0.0.1, and the page (same origin as every answer on that name) reads what this server
 * serves. Its requests carry `Host: evil.example:PORT`, so the server answers only a Host that names
 * this machine (or the host of the redirect URI it was configured with).
 */
import { isLoopbackHost } from '@org/okta-auth-core/internal';

/**
 * Whether a request's `Host` header names this server: a loopback name, or the host of one of
 * `urls` (the redirect URIs the demo was configured with). A missing or unparsable Host is refused.
 *
 * @example
 * ```ts
 * isAllowedHost('evil.example:4000', ['http://localhost:4000/callback']); // false
 * ```
 */
export function isAllowedHost(host: string | undefined, urls: readonly string[]): boolean {
  if (host === undefined || host === '') return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}/`).hostname;
  } catch {
    return false;
  }
  return isLoopbackHost(hostname) || urls.some((url) => new URL(url).hostname === hostname);
}
