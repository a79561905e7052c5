import { configError } from '../exit-codes.js';
import type { CliConfig } from './load.js';

/** The loopback redirect of `okta-auth login --browser`: where the CLI listens for the one callback. */
export interface LoopbackRedirect {
  /** The redirect URI as registered on the app and sent to Okta. */
  readonly uri: string;
  /** The address listened on: `127.0.0.1` or `::1`. */
  readonly host: '127.0.0.1' | '::1';
  readonly port: number;
  /** The callback's path (`/callback`): any other is answered 404. */
  readonly path: string;
  /** The `Host` header a browser sends to it (`127.0.0.1:8765`, `[::1]:8765`): any other is refused (DNS rebinding). */
  readonly hostHeader: string;
}

const shape = /^http:\/\/(127\.0\.0\.1|\[::1\]):(\d{1,5})(\/[^?#]*)?([?#].*)?$/;

/**
 * The profile's `redirectUri` as a loopback redirect (RFC 8252 §7.3): `http://127.0.0.1:<port>/<path>`
 * or `http://[::1]:<port>/<path>`, with its port (Okta documents no port-agnostic matching of loopback
 * redirect URIs, so the one registered on the app is used as it is). Anything else is a
 * configuration error naming the setting; its value is never quoted (a credential pasted in the
 * wrong setting stays out of the message).
 */
export function loopbackRedirect(config: CliConfig): LoopbackRedirect {
  const entry = config.raw.redirectUri;
  const value = entry?.value.trim() ?? '';
  if (entry === undefined || value === '') {
    const where = config.profile === 'default' ? 'okta.client.redirectUri or OKTA_CLIENT_REDIRECTURI' : `okta.profiles.${config.profile}.redirectUri`;
    throw configError(
      `okta-auth login --browser needs redirectUri, a loopback redirect URI registered on the app (Sign-in redirect URIs), such as http://127.0.0.1:8765/callback: set ${where}.`,
    );
  }
  const refuse = (why: string): never => {
    throw configError(`redirectUri (${entry.source}) ${why}; register that URI on the app's Sign-in redirect URIs too.`);
  };
  const fixed = 'must be http://127.0.0.1:<port>/<path> or http://[::1]:<port>/<path> (RFC 8252 §7.3, a loopback redirect okta-auth listens on)';
  if (/^https:\/\/(127\.0\.0\.1|\[::1\]|localhost)[:/]/i.test(value)) refuse(`${fixed}: plain http, as RFC 8252 §7.3 allows for loopback (okta-auth serves no TLS)`);
  if (/^https?:\/\/localhost[:/]/i.test(value)) refuse(`${fixed}, not localhost (RFC 8252 §8.3: a name may resolve to another address or be listened on by another program): write 127.0.0.1`);
  const match = shape.exec(value);
  if (match === null) {
    if (/^http:\/\/(127\.0\.0\.1|\[::1\])(\/|$)/.test(value)) refuse(`${fixed}: it needs its port, such as http://127.0.0.1:8765/callback (Okta documents no any-port matching for loopback)`);
    refuse(fixed);
  }
  const [, host = '', digits = '', path, rest] = match ?? [];
  const port = Number(digits);
  if (port < 1 || port > 65_535 || port === 80) refuse(`${fixed}: a port from 1 to 65535${port === 80 ? ', not 80 (which a URL drops)' : ''}`);
  if (path === undefined || path === '') refuse(`${fixed}: it needs a path, such as /callback`);
  if (rest !== undefined) refuse(`${fixed}, with no query or fragment`);
  if (new URL(value).href !== value) refuse(`${fixed}, written as a URL parser writes it (no "..", "." or characters to escape)`);
  return { uri: value, host: host === '[::1]' ? '::1' : '127.0.0.1', port, path: path ?? '/', hostHeader: `${host}:${port}` };
}
