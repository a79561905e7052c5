import { isSecret } from '@org/okta-auth-core/internal';
import { configError } from './errors.js';

/*
 * The tenant data `createMultiOrgCredentials`' `get()` is given, kept and compared: a changed tenant
 * (a rotated secret, new scopes) makes a new credential for the org.
 */

/** Whether `value` is a plain object (`{…}`, or with a null prototype), whose fields are compared and copied. */
function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The tenant as it is now, kept to compare later `get`s with: plain objects and arrays copied
 * field by field, a `Date` or `URL` copied, anything else (a `Secret`, which cannot change; a
 * class instance) kept as itself. Without the copy, a tenant changed in place (`tenant.clientSecret
 * = rotated`, a scope pushed) compared equal to itself, and the old secret stayed in use. @internal
 */
export function snapshot(value: unknown, open: object[] = []): unknown {
  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof URL) return new URL(value.href);
  if (!Array.isArray(value) && !isPlain(value)) return value;
  // A tenant that holds itself would be copied (and compared) without end.
  if (open.includes(value)) throw configError('The tenant given to get() contains itself: pass its fields as a plain object without cycles.');
  open.push(value);
  const copy = Array.isArray(value) ? value.map((item) => snapshot(item, open)) : Object.fromEntries(Object.keys(value).map((key) => [key, snapshot(value[key], open)]));
  open.pop();
  return copy;
}

/** Whether a tenant `b` is the {@link snapshot} `a`, field by field: a `Secret` (of any copy of core) by what it holds, a `Date` by its time, a `URL` by its `href`, else by identity. @internal */
export function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (isSecret(a) && isSecret(b)) return a.reveal() === b.reveal();
  if (a instanceof Date && b instanceof Date) return Object.is(a.getTime(), b.getTime());
  if (a instanceof URL && b instanceof URL) return a.href === b.href;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => same(item, b[index]));
  if (isPlain(a) && isPlain(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!same(a[key], b[key])) return false;
    return true;
  }
  return false;
}
