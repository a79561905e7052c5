/**
 * Why an `@org/okta-emulator` call was refused, for `switch`. `option` names the argument at fault
 * and the message says what to give instead.
 *
 * - `INVALID_OPTION`: a value the emulator cannot use: an option of {@link startEmulator}, or an
 *   argument of a method of the org (`fault.kind`, `seconds`, `share`, `redirectUris`, …).
 * - `NOT_FOUND`: no such entity: a user (`createApiToken`'s `user`, `approveDevice`'s `login`), an
 *   API token `id`, a pending device authorization (`userCode`), an app (`clientId`) or its active key (`keyId`).
 * - `ALREADY_EXISTS`: the entity is taken: `createUser`'s `login`.
 * - `SIGN_IN_FAILED`: `signIn`'s login and password signed no one in (a wrong password, an unknown or inactive user).
 * @example
 * ```ts
 * if (isOktaEmulatorError(error)) {
 *   const code: OktaEmulatorErrorCode = error.code;
 *   if (code === 'ALREADY_EXISTS') console.log('that login is taken in this emulated org');
 * }
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/
 */
export type OktaEmulatorErrorCode = 'INVALID_OPTION' | 'NOT_FOUND' | 'ALREADY_EXISTS' | 'SIGN_IN_FAILED';

// The packages' one cross-realm guard (core's `brandError`/`isBrandedError`: `instanceof`, or the
// `Symbol.for` brand, with a string `code`), written out here because the emulator cannot depend on
// core: core's own tests depend on the emulator.
const brand = Symbol.for('@org/okta-emulator/error');

/**
 * The emulator's one error: what {@link startEmulator} and every method of the org throw for a
 * caller's bad argument or an unknown or taken entity, with a `code` to `switch` on and the `option`
 * at fault. The `/__emulator/*` routes answer it as 400 `{ error, code, option }`.
 *
 * @example
 * ```ts
 * import { isOktaEmulatorError, startEmulator } from '@org/okta-emulator';
 *
 * const org = await startEmulator({ port: Number(process.env.PORT ?? 0) });
 * try {
 *   org.approveDevice('WDJB-MJHT', 'ada@example.com');
 * } catch (error) {
 *   if (!isOktaEmulatorError(error)) throw error;
 *   switch (error.code) {
 *     case 'NOT_FOUND': // no pending device authorization with that user code (option 'userCode'), or no such user ('login')
 *       console.error(`no such ${error.option}: ${error.message}`);
 *       break;
 *     case 'INVALID_OPTION':
 *     case 'ALREADY_EXISTS':
 *       console.error(`fix ${error.option}: ${error.message}`);
 *   }
 * } finally {
 *   await org.close();
 * }
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/
 */
export class OktaEmulatorError extends Error {
  /** Always `OktaEmulatorError`. */
  override readonly name = 'OktaEmulatorError';
  /** Why it failed. */
  readonly code: OktaEmulatorErrorCode;
  /** The option (or argument) at fault, such as `port`, `seed.users`, `fault.kind` or `userCode`. */
  readonly option: string;

  constructor(code: OktaEmulatorErrorCode, option: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.option = option;
    Object.defineProperty(this, brand, { value: true });
  }
}

/**
 * Whether `error` is an {@link OktaEmulatorError}, also one from another copy of the package.
 *
 * @example
 * ```ts
 * import { isOktaEmulatorError, startEmulator } from '@org/okta-emulator';
 *
 * const started = await startEmulator({ seed: { users: 3 } }).catch((error: unknown) => (isOktaEmulatorError(error) ? error : Promise.reject(error)));
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/
 */
export function isOktaEmulatorError(error: unknown): error is OktaEmulatorError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error instanceof OktaEmulatorError || (error as Record<symbol, unknown>)[brand] === true) &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

/**
 * A secret's shape, which {@link shown} never quotes: a run of 32 base64url characters (every token,
 * client secret, code and nonce the emulator issues, the user lifecycle's one-time tokens included, an
 * API token, a JWT's parts, a private JWK's `d`) or a PEM's armour. The emulator's ids (20 characters),
 * key ids (22), user codes and logins are none. A secret it issues is minted at 32 characters or more.
 */
const SECRET_SHAPE = /[\w-]{32}|-----BEGIN/;

/** Whether `value` is a string shaped like a secret ({@link shown} does not quote it; {@link optionError} keeps no `cause` that may hold it, such as a URL's `TypeError`). */
export function secretShaped(value: unknown): boolean {
  return typeof value === 'string' && SECRET_SHAPE.test(value);
}

/**
 * `value` as a message may quote it: a string in quotes (at most 100 characters), but for one shaped
 * like a secret (given by mistake where a path, URL, kind or scope goes: not quoted, not even in part),
 * a number as itself, else its kind. The one quoting of a caller's value in the emulator's errors.
 */
export function shown(value: unknown): string {
  if (typeof value === 'string') {
    if (secretShaped(value)) return 'a value shaped like a token or key (not quoted)';
    return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
  }
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value === 'function' ? 'a function' : 'an object';
}

/** Okta's ids (`00u…`, `0oa…`, `ocs…`): at most 20 letters and digits. */
export const OKTA_ID_SHAPE = /^[A-Za-z0-9]{1,20}$/;

/**
 * A key id: the emulator's are 22 base64url characters; a caller's own (`publicJwks`) at most 32 letters,
 * digits, `.`, `_` or `-`. A PEM, a JWK's private `d` (43 characters and more), a client secret (40) or an
 * API token (42) is none.
 */
export const KID_SHAPE = /^[\w.-]{1,32}$/;

/**
 * A device authorization's `user_code` as a person types it: the emulator's are 8 letters, taken with
 * spaces or a `-` between them. Its `device_code` (the poller's secret, 43 characters) is none.
 */
export const USER_CODE_SHAPE = /^[A-Za-z0-9 -]{1,12}$/;

/**
 * A user's login (`name@domain`, at most 100 characters) or id (`00u…`) or a login's short name of
 * letters and digits. An API token (42 characters, no `@`) or a client secret is none.
 */
export const LOGIN_OR_ID_SHAPE = /^(?:[A-Za-z0-9]{1,20}|[^\s@"]{1,64}@[^\s@"]{1,99})$/;

/**
 * How a control's `NOT_FOUND` message names a value it found nothing for (`none`: "no API token with",
 * `name`: "id"): quoted only when it has `shape` and not a secret's ({@link secretShaped}: a 32-character
 * token has a kid's) — a secret given by mistake for an id (a token's value, a PEM) is never quoted, not
 * even its first characters. The one rule of the controls that take an id.
 */
export function unknownId(value: unknown, none: string, name: string, shape: RegExp): string {
  return typeof value === 'string' && shape.test(value) && !secretShaped(value) ? `${none} ${name} ${shown(value)}` : `${none} the ${name} given (not quoted: it is not shaped like one)`;
}

/**
 * What an error refused a caller's `value` with (a URL's `TypeError`, a `RegExp`'s `SyntaxError`, Node's
 * listen error): kept as the `cause` only when `value` is not shaped like a secret, since the error may
 * hold it whole (`input`, its message, `hostname`).
 */
export interface CauseOf {
  /** The error, kept as `cause`. */
  error: unknown;
  /** The caller's value it refused, which it may hold. */
  value: unknown;
}

/** What an `INVALID_OPTION` error was built from: a caller wording the same refusal for its own reader rebuilds it from these, never from the message. */
export interface OptionRefusal {
  /** Who refused (`startEmulator`, `createSignInApp`, `okta-emulator`). */
  readonly where: string;
  /** The option at fault. */
  readonly option: string;
  /** What to give instead, the message after `${where}: ${option} `. */
  readonly what: string;
  /** The cause as given, when the error kept it (not for a value shaped like a secret). */
  readonly cause: CauseOf | undefined;
}

// Off the error, not a property of it (not even a symbol): no copy of the package, no copy of the error,
// no JSON, logger or inspection (`util.inspect` with `showHidden`, `Reflect.ownKeys`) sees it.
const parts = new WeakMap<object, OptionRefusal>();

/**
 * The `INVALID_OPTION` error, worded `${where}: ${option} ${what}` (not exported by the package): the one
 * builder of it, and the one rule for its cause ({@link CauseOf}).
 */
export function optionError(where: string, option: string, what: string, cause?: CauseOf): OktaEmulatorError {
  const kept = cause === undefined || secretShaped(cause.value) ? undefined : cause;
  const error = new OktaEmulatorError('INVALID_OPTION', option, `${where}: ${option} ${what}`, { cause: kept?.error });
  const refusal: OptionRefusal = { where, option, what, cause: kept };
  parts.set(error, refusal);
  return error;
}

/** What {@link optionError} built `error` from; `undefined` for any other error. */
export function refusalOf(error: unknown): OptionRefusal | undefined {
  return typeof error === 'object' && error !== null ? parts.get(error) : undefined;
}

/** Throws {@link optionError}'s error. */
export function invalidOption(where: string, option: string, what: string, cause?: CauseOf): never {
  throw optionError(where, option, what, cause);
}

/**
 * A method's options checked as an object before any is read (`INVALID_OPTION`: "options must be an
 * object such as `example`"); where every option is optional, nothing or `null` is `{}`.
 */
export function optionsOf<T extends object>(where: string, value: T | null | undefined, example: string, fields: FieldNames<T>, optional = false): T {
  if (optional && (value === undefined || value === null)) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalidOption(where, 'options', `must be an object such as ${example}, not ${shown(value)}.`);
  checkKnownFields(value, where, fields);
  return value;
}

/** Every field an options object of type `T` takes, each `true`: the compiler holds the list to the type. */
export type FieldNames<T> = { readonly [K in keyof Required<T>]: true };

/**
 * Refuses a field `where` does not take (`INVALID_OPTION` naming it, the message listing those it takes):
 * read as unset, a misspelt `requireDPoP` gave a DPoP app and `times` (for `count`) a fault on every
 * request. `prefix` names the object (`fault.`); `of` is what the message calls it (default `where`). No
 * `fields`: it takes none (an admin route without a body).
 */
export function checkKnownFields(value: object, where: string, fields: Readonly<Record<string, true>>, prefix = '', of = where): void {
  for (const name of Object.keys(value)) {
    const names = Object.keys(fields);
    // The caller's text: quoted only when shaped like an option's name (a token or a PEM pasted as a key never is).
    const named = FIELD_SHAPE.test(name) && !secretShaped(name) ? name : '(a field not shaped like a name, not quoted)';
    if (!Object.hasOwn(fields, name)) invalidOption(where, prefix + named, `is not an option of ${of}: ${names.length === 0 ? 'it takes no options' : `use ${names.join(', ')}`}.`);
  }
}

/** An option's name as the emulator's are (`refreshTokenLeewaySeconds`, 25 characters): an API token (42) is none. */
const FIELD_SHAPE = /^[A-Za-z_$][\w$]{0,31}$/;
