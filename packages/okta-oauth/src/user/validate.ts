import { OktaSignInError } from './errors.js';

/** Scopes as one space-separated string, checked (RFC 6749 §3.3). @internal */
export function normalizeScope(input: unknown, name: string): string {
  const list = typeof input === 'string' ? input.split(' ') : Array.isArray(input) ? (input as unknown[]) : undefined;
  if (list === undefined) throw new OktaSignInError('INVALID_CONFIG', `${name} must be an array of scope names such as ['openid', 'offline_access', 'okta.users.read'].`);
  const scopes: string[] = [];
  for (const scope of list) {
    if (scope === '') continue;
    if (typeof scope !== 'string' || !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope)) {
      throw new OktaSignInError('INVALID_CONFIG', `${name}: "${String(scope).slice(0, 50)}" is not a valid scope name.`);
    }
    if (!scopes.includes(scope)) scopes.push(scope);
  }
  if (scopes.length === 0) throw new OktaSignInError('INVALID_CONFIG', `${name} is empty: request at least the okta.* scopes the app needs.`);
  return scopes.join(' ');
}

/**
 * An absolute redirect URI without a fragment (RFC 6749 §3.1.2): https,
 * http (Okta allows it for loopback and development), or a private-use
 * scheme for native apps (`com.acme.app:/callback`). @internal
 */
export function normalizeRedirectUri(input: unknown, name: string): string {
  if (typeof input !== 'string' && !(input instanceof URL)) throw new OktaSignInError('INVALID_CONFIG', `${name} must be an absolute URL string.`);
  let url: URL;
  try {
    url = new URL(typeof input === 'string' ? input : input.href);
  } catch {
    throw new OktaSignInError('INVALID_CONFIG', `${name} is not an absolute URL.`);
  }
  if (url.hash !== '' || (typeof input === 'string' && input.includes('#'))) throw new OktaSignInError('INVALID_CONFIG', `${name} must not have a fragment.`);
  if (['javascript:', 'data:', 'file:', 'blob:'].includes(url.protocol)) throw new OktaSignInError('INVALID_CONFIG', `${name} cannot use ${url.protocol}.`);
  return typeof input === 'string' ? input : input.href;
}

/** A non-negative finite number option. @internal */
export function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new OktaSignInError('INVALID_CONFIG', `${name} must be a non-negative number.`);
  return value;
}
