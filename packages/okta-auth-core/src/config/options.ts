import { OktaAuthError } from '../errors/errors.js';
import { checkSignal } from './transport.js';

/**
 * Reads an optional options argument the one way every package does (docs/CONVENTIONS.md,
 * "Code"): `undefined` or `null` is none (`{}`), an object (not an array) is itself, anything
 * else is refused with `refuse` (the package's `INVALID_CONFIG`) naming the argument, so a
 * JavaScript caller never gets a runtime `TypeError` from reading a field of it. Its `signal`, the
 * option every package's calls share, is checked here too ({@link checkSignal}), before anything is
 * sent. @internal
 */
export function readOptions<T extends object>(value: T | null | undefined, what: string, refuse = (message: string): Error => new OktaAuthError('INVALID_CONFIG', message)): Partial<T> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw refuse(`${what} takes an options object or nothing, not ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}.`);
  checkSignal((value as { signal?: unknown }).signal, refuse);
  return value;
}
