// The class that only ever shows a secret's mask. Its own module: a bundle that scrubs text but
// holds no `Secret` (the SSWS path) leaves the class out (issue 17).
import { redact } from './redact.js';
import { brandError, isBranded } from '../errors/errors.js';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * The values, outside the instances: a private field (`#value`) is shown by a V8 inspector (Chromium's
 * console preview, DevTools, workerd's inspector) as it is, where a WeakMap entry is not an own state.
 */
const values = new WeakMap<Secret, string>();

/** The brand of every `Secret` (`brandError`'s, as the errors'): a `Secret` of another copy of core is one too. */
const brand = '@org/okta-auth-core/secret';

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
 * @see https://developer.okta.com/docs/guides/create-an-api-token/main/
 */
export class Secret {
  constructor(value: string) {
    values.set(this, value);
    brandError(this, brand);
  }

  /** The secret itself. Use it only to put it on the wire. */
  reveal(): string {
    const value = values.get(this);
    // As the private field's brand check did: a look-alike (`Object.create(Secret.prototype)`) has no value.
    if (value === undefined) throw new TypeError('This object is not a Secret: make one with new Secret(value).');
    return value;
  }

  /** The mask: `[redacted]`, or `[redacted …abcd]` for a value of 24 characters or more. */
  toString(): string {
    return redact(this.reveal());
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

/**
 * Whether `value` is a {@link Secret} of any copy of core (two installs: the app's and a method
 * package's): the brand its constructor set, never a field a JSON body or a spread can carry. Read its
 * value only through its own `reveal()`, which a look-alike without the copy's value refuses. @internal
 */
export const isSecret = (value: unknown): value is Secret => isBranded(value, brand);
