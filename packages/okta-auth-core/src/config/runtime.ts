import { isOktaAuthError } from '../errors/errors.js';
import { refuseQuoted } from './org-url.js';
import { own } from './runtime-globals.js';

/** The runtime's own `Deno.env` when it can be read (`get` a function), else `undefined`: the one look-up of it. */
const denoEnv = () => {
  const env = own('Deno')?.env;
  return typeof env?.get === 'function' ? env : undefined;
};

/**
 * The runtime's environment variables, read in the one guarded place the
 * packages allow: `process.env` on Node.js and Bun, `Deno.env` itself on Deno (which
 * {@link readEnvText} reads per variable, so `--allow-env=OKTA_CLIENT_*` is enough), and an empty object elsewhere
 * (browsers, workerd without `nodejs_compat`: pass `env` explicitly there; the `…FromEnv` functions say so).
 *
 * @example
 * ```ts
 * const env = readRuntimeEnv();
 * readEnvText(env, 'OKTA_CLIENT_ORGURL', (message) => new Error(message)); // 'https://acme.okta.com' or undefined
 * ```
 * @see https://docs.deno.com/runtime/fundamentals/security/#environment-variables
 */
export function readRuntimeEnv(): Readonly<Record<string, string | undefined>> {
  const deno = denoEnv(), process = own('process');
  // Deno.env is no plain object: its toObject() needs the whole environment, its get() one granted variable.
  if (deno) return deno as never;
  if (process?.env !== undefined && typeof process.env === 'object') return process.env;
  return noRuntimeEnv;
}

/** What {@link readRuntimeEnv} gives where there is no process environment (a Worker without `nodejs_compat`, a browser). */
const noRuntimeEnv: Readonly<Record<string, string | undefined>> = Object.freeze({});

/**
 * The one check of the `env` a `…FromEnv` function was given (`sswsCredentialFromEnv`,
 * `serviceAppCredentialFromEnv`, `signInClientFromEnv`): an object of variables, else `refuse`'s
 * error (the package's own `INVALID_CONFIG`) saying what to pass; {@link readRuntimeEnv}'s default where there is
 * no process environment is that error too, not each variable's "is not set". Its values are each checked
 * where they are read. @internal
 */
export function checkEnv(env: unknown, by: string, refuse: (message: string) => Error): void {
  if (typeof env !== 'object' || env === null || Array.isArray(env)) {
    const got = env === null ? 'null' : Array.isArray(env) ? 'an array' : typeof env;
    throw refuse(`${by} takes env, an object of environment variables such as process.env or a Worker's env, not ${got}; leave it out to read the runtime's own (Node.js, Deno, Bun).`);
  }
  if (env === noRuntimeEnv) throw refuse(`${by}() found no process environment here (a Cloudflare Worker without nodejs_compat, a browser): pass the Worker's env, as in ${by}(env).`);
}

/**
 * The one reading of a variable of that `env`: its text, `undefined` when unset (or `null`); anything
 * else is `refuse`'s error naming the variable and never its value. A Worker's `env` also holds
 * bindings that are no text (a number or object from `vars`, a KV namespace, a Secrets Store
 * secret), and `.trim()` on one was a raw `TypeError`. Only an own property is a variable: on Node.js
 * and Bun, `process.env.OKTA_CLIENT_ORGURL` falls through to `Object.prototype`, so a prototype
 * pollution anywhere in the application (`Object.prototype.OKTA_CLIENT_ORGURL = …`) chose the org the
 * credentials went to; an `env` inheriting from another object is missing what it only inherits. Deno's `Deno.env`
 * (the default there, or passed) is read with `get`, which a scoped `--allow-env` grant allows; a variable Deno denies
 * is `refuse`'s error naming the grant, never "not set". @internal
 */
export function readEnvText(env: object, name: string, refuse: (message: string) => Error): string | undefined {
  const deno = denoEnv();
  let value: unknown;
  if (env !== deno) value = Object.hasOwn(env, name) ? (env as Readonly<Record<string, unknown>>)[name] : undefined;
  else {
    try {
      value = deno.get(name);
    } catch {
      throw refuseNamed(name, refuse(`Deno denied reading ${name}: run with --allow-env=OKTA_CLIENT_* (or name each variable read), or pass env, an object of the variables.`));
    }
  }
  if (value === undefined || value === null || typeof value === 'string') return value ?? undefined;
  const read = typeof (value as { get?: unknown }).get === 'function' ? ` (a Secrets Store binding: pass { ...env, ${name}: await env.${name}.get() })` : '';
  throw refuseNamed(name, refuse(`${name} holds ${Array.isArray(value) ? 'an array' : typeof value}, not text: set it to a string${read}.`));
}

/**
 * The one naming of a variable's errors, for every `…FromEnv`: runs `step` (the variable's reading, and the check the
 * factory makes of the option it becomes, the factory's own), and an okta-auth error it throws is thrown again as the same
 * error (class, `code`, `cause`, what to fix) with `envVariable` set to `name` and a message that names it (`OKTA_CLIENT_CLIENTID:
 * clientId is a URL, not a client id: …`; unchanged when it already does). Any other error (none of ours: user code's) passes
 * untouched, and so does one already naming a variable (an inner step's). The message never gains a value, only the name. @internal
 */
export function namingVariable<T>(name: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw refuseNamed(name, error);
  }
}

/**
 * A variable's value (`read`: the reader's, which may refuse an unset one) once `check` accepts it: `check` is the factory's
 * own check of the option the value becomes (`parseOrgUrl`, `checkClientId`, `validateApiToken`…), never a second one, and
 * an error of either is that error naming the variable ({@link namingVariable}). The value goes to the factory as read, which
 * checks it again the same way; an unset optional one (`undefined`) is not checked. @internal
 */
export function checkedEnv<T extends string | undefined>(name: string, read: () => T, check: (value: string) => unknown): T {
  return namingVariable(name, () => {
    const value = read();
    if (value !== undefined) check(value);
    return value;
  });
}

/**
 * `error`, a refusal of the variable `name`, named as {@link namingVariable} names what it throws (`envVariable`, the
 * message), and returned to throw: `throw refuseNamed(name, refuse('OKTA_CLIENT_TOKEN is not set: …'))`. Any error but an okta-auth
 * one not yet naming a variable is returned untouched. @internal
 */
export function refuseNamed<E>(name: string, error: E): E {
  if (isOktaAuthError(error) && error.envVariable === undefined) nameVariable(error, name);
  return error;
}

function nameVariable(error: Error, name: string): void {
  const before = error.message;
  if (!before.includes(name)) {
    error.message = `${name}: ${before}`;
    // V8 writes `stack` ("Name: message" and the frames) when it is first read: one read already keeps the old message.
    const { stack } = error;
    const header = `${error.name}: ${before}`;
    if (typeof stack === 'string' && stack.startsWith(header)) error.stack = `${error.name}: ${error.message}${stack.slice(header.length)}`;
  }
  Object.defineProperty(error, 'envVariable', { value: name, enumerable: true, configurable: true });
}

/**
 * `OKTA_CLIENT_AUTHORIZATIONMODE`, trimmed (`undefined` when unset or blank), with how a message may
 * show it: in quotes only when the whole value is a word (another variable's secret set there by
 * mistake never is), else `set`. A value in quotes, or with one at an end (core's one check,
 * {@link refuseQuoted}), is `refuse`'s error. The one reading of the mode, for every `…FromEnv`. @internal
 */
export function readAuthorizationMode(env: object, refuse: (message: string) => Error): { readonly mode: string; readonly shown: string } | undefined {
  const name = 'OKTA_CLIENT_AUTHORIZATIONMODE';
  const mode = readEnvText(env, name, refuse)?.trim();
  if (mode === undefined || mode === '') return undefined;
  namingVariable(name, () => {
    refuseQuoted(mode, (problem) => refuse(`${name} ${problem}`));
  });
  return { mode, shown: /^[A-Za-z]{1,20}$/.test(mode) ? `"${mode}"` : 'set' };
}

/**
 * The one reading of a variable's escaped line breaks: a literal `\n` (as the SDKs' variables carry a PEM
 * key) or `\r\n` (a Windows `.env` file) is a line break; nothing else changes. okta-oauth's key reader and
 * the CLI's `privateKey` (which `okta-auth doctor` hands to Node.js's crypto as well) both read it so. @internal
 */
export function envLineBreaks(text: string): string {
  return text.replace(/(?:\\r)?\\n/g, '\n');
}
