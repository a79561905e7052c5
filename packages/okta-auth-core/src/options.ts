import { OktaAuthError } from './errors.js';

/**
 * Reads an optional options argument the one way every package does (docs/CONVENTIONS.md,
 * "Code"): `undefined` or `null` is none (`{}`), an object (not an array) is itself, anything
 * else is refused with `refuse` (the package's `INVALID_CONFIG`) naming the argument, so a
 * JavaScript caller never gets a runtime `TypeError` from reading a field of it. @internal
 */
export function readOptions<T extends object>(value: T | null | undefined, what: string, refuse = (message: string): Error => new OktaAuthError('INVALID_CONFIG', message)): Partial<T> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw refuse(`${what} takes an options object or nothing, not ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}.`);
  return value;
}
