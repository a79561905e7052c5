import type { OktaTransportOptions } from '@org/okta-auth-core';
import { OktaOAuthError } from '../errors.js';
import type { DpopAlgorithm } from '../dpop/dpop-key.js';
import type { OktaStorage } from '../token-cache/storage.js';
import type { TokenStore } from '../token-cache/token-store.js';
import type { DpopMode } from '../token-endpoint/token-endpoint.js';
import type { WebCryptoKeyPair } from './web-crypto.js';

function fail(message: string): never {
  throw new OktaOAuthError('INVALID_CONFIG', message);
}

/** RFC 6749 §3.3 scope-token characters. */
const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** @internal */
export function checkClientId(value: unknown, name = 'clientId'): string {
  if (typeof value !== 'string' || value.trim() === '') fail(`${name} is missing: give the app's client id (Client ID on the app's General tab, such as "0oa1bcd2efGHIJ3kl4m5").`);
  const trimmed = value.trim();
  if (!/^[\x21-\x7E]+$/.test(trimmed) || trimmed.length > 200) fail(`${name} is not a client id: it must be printable ASCII with no spaces.`);
  return trimmed;
}

/** Accepts an array or a space/comma-separated string; returns de-duplicated scopes in the given order. @internal */
export function checkScopes(value: unknown, name = 'scopes'): readonly string[] {
  let list: unknown[];
  if (typeof value === 'string') list = value.split(/[\s,]+/).filter(Boolean);
  else if (Array.isArray(value)) list = value as unknown[];
  else fail(`${name} is missing: list the Okta API scopes the app was granted, such as ["okta.users.read"].`);
  if (list.length === 0) fail(`${name} is empty: Okta needs at least one scope, such as "okta.users.read" (the app must have been granted it).`);
  const scopes: string[] = [];
  for (const scope of list) {
    if (typeof scope !== 'string' || !scopeToken.test(scope)) fail(`${name} has an invalid entry ${JSON.stringify(String(scope)).slice(0, 60)}: scopes are single words such as "okta.users.read".`);
    if (!scopes.includes(scope)) scopes.push(scope);
  }
  return scopes;
}

/** @internal */
export function checkDpopMode(value: unknown): DpopMode {
  if (value === undefined) return 'auto';
  if (value === 'required' || value === 'auto' || value === 'off') return value;
  if (value === true) fail('dpop is true: use "required" (Bearer answers are an error) or "auto".');
  if (value === false) fail('dpop is false: use "off".');
  return fail(`dpop must be "required", "auto" or "off", not ${typeof value === 'string' ? JSON.stringify(value) : typeof value}.`);
}

/** @internal */
export function checkDpopAlgorithm(value: unknown): DpopAlgorithm | undefined {
  if (value === undefined) return undefined;
  const allowed = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512'];
  if (typeof value !== 'string' || !allowed.includes(value)) fail(`dpopAlgorithm must be one of ${allowed.join(', ')}.`);
  return value as DpopAlgorithm;
}

/** @internal */
export function checkDpopKeyPair(value: unknown): WebCryptoKeyPair | undefined {
  if (value === undefined) return undefined;
  const pair = typeof value === 'object' ? (value as { privateKey?: unknown; publicKey?: unknown } | null) : null;
  if (pair === null || typeof CryptoKey === 'undefined' || !(pair.privateKey instanceof CryptoKey) || !(pair.publicKey instanceof CryptoKey)) {
    fail('dpopKeyPair must be a WebCrypto CryptoKeyPair ({ privateKey, publicKey }).');
  }
  return value as WebCryptoKeyPair;
}

/** @internal */
export function checkTokenStore(value: unknown): TokenStore | OktaStorage | undefined {
  if (value === undefined) return undefined;
  const store = typeof value === 'object' ? (value as { get?: unknown; set?: unknown; delete?: unknown; remove?: unknown } | null) : null;
  if (store === null || typeof store.get !== 'function' || typeof store.set !== 'function' || (typeof store.remove !== 'function' && typeof store.delete !== 'function')) {
    fail('tokenStore must be an OktaStorage (get, set, remove) or a TokenStore (get, set, delete).');
  }
  return value as TokenStore | OktaStorage;
}

/** @internal */
export function checkOptionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') fail(`${name} must be a non-empty string when given.`);
  return value.trim();
}

/** Picks and checks the transport options every factory passes to the core. @internal */
export function checkTransport(options: OktaTransportOptions): OktaTransportOptions {
  if (options.fetch !== undefined && typeof options.fetch !== 'function') fail('fetch must be a function (a fetch implementation).');
  if (options.timeoutMs !== undefined && (typeof options.timeoutMs !== 'number' || !(options.timeoutMs > 0))) fail('timeoutMs must be a positive number of milliseconds.');
  if (options.logger !== undefined && typeof options.logger !== 'function') fail('logger must be a function.');
  if (options.userAgent !== undefined && (typeof options.userAgent !== 'string' || /[\r\n]/.test(options.userAgent))) fail('userAgent must be a single-line string.');
  const retry = options.retry;
  if (retry !== undefined && retry !== false && (typeof retry !== 'object' || (retry as unknown) === null)) fail('retry must be false or { limit?, maxWaitMs? }.');
  const out: { -readonly [K in keyof OktaTransportOptions]: OktaTransportOptions[K] } = {};
  if (options.fetch !== undefined) out.fetch = options.fetch;
  if (options.retry !== undefined) out.retry = options.retry;
  if (options.timeoutMs !== undefined) out.timeoutMs = options.timeoutMs;
  if (options.logger !== undefined) out.logger = options.logger;
  if (options.userAgent !== undefined) out.userAgent = options.userAgent;
  const coordinator = options.rateLimitCoordinator;
  if (coordinator !== undefined) {
    if (typeof coordinator !== 'object' || (coordinator as unknown) === null || typeof coordinator.reserve !== 'function' || typeof coordinator.observe !== 'function') {
      fail('rateLimitCoordinator must have reserve(scope) and observe(scope, observation) methods.');
    }
    out.rateLimitCoordinator = coordinator;
  }
  return out;
}
