import { isOktaAuthError, type OktaTransportOptions } from '@org/okta-auth-core';

/**
 * The CLI's flags for core's transport options, each with the option it sets, its unit in ms and
 * its range in that unit: `--timeout`, `--max-wait` (seconds) and `--retries` (a count). The
 * libraries' messages advise raising the option ("raise retry.maxWaitMs"); the CLI prints its flag
 * there ({@link inCliWords}). No other option of core's can be set through the CLI, so none other is named.
 *
 * @example
 * ```ts
 * transportFlags['max-wait'].option; // 'retry.maxWaitMs'
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export const transportFlags = {
  timeout: { option: 'timeoutMs', ms: 1000, min: 1, max: 3600, what: "each request's time limit, reading the answer included, in whole seconds" },
  'max-wait': { option: 'retry.maxWaitMs', ms: 1000, min: 0, max: 3600, what: "the most one request waits in all before its retries (429s, 5xx backoffs), in whole seconds" },
  retries: { option: 'retry.limit', ms: 1, min: 0, max: 20, what: 'how many times a rate-limited (429) request is retried' },
} as const;

type Flag = keyof typeof transportFlags;

/**
 * The one reading of a whole-number flag (`--interval`, `--timeout`, `--max-wait`, `--retries`): `raw` when it is a whole
 * number from `min` to `max`, else `refuse`'s error saying what the flag is and quoting at most 20 characters of it.
 *
 * @example
 * ```ts
 * const seconds = wholeNumberFlag('interval', '30', 1, 86_400, 'the wait after an empty page in whole seconds', (message) => new Error(message)); // 30
 * ```
 * @see https://nodejs.org/api/util.html#utilparseargsconfig
 */
export function wholeNumberFlag(flag: string, raw: string, min: number, max: number, what: string, refuse: (message: string) => Error): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < min || Number(raw) > max) throw refuse(`--${flag} is ${what}, from ${min} to ${max}; got "${raw.slice(0, 20)}".`);
  return Number(raw);
}

/**
 * How long a renewal waits for another okta-auth's renewal of the same sign-in while that one keeps
 * the token file's lock fresh (its request held at Okta, its 429s waited out): the run's own
 * `--timeout` plus `--max-wait` (core's defaults, 30 s and 65 s, when not given: 95 s), the time its
 * own token request may take before its last retry. Past it, or once the lock is stale, it renews itself.
 *
 * @example
 * ```ts
 * renewalWaitMs({ timeoutMs: 10_000, retry: { maxWaitMs: 20_000 } }); // 30000
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/#refresh-token-reuse-detection
 */
export function renewalWaitMs({ timeoutMs = 30_000, retry }: Pick<OktaTransportOptions, 'timeoutMs' | 'retry'>): number {
  return timeoutMs + (retry === false ? 0 : (retry?.maxWaitMs ?? 65_000));
}

/**
 * Core's transport options from `--timeout`, `--max-wait` and `--retries` as given (core's
 * defaults for those not given): a value that is not a whole number within the flag's range is
 * refused by `refuse` (the CLI's usage error, exit 2), quoting at most 20 characters of it.
 *
 * @example
 * ```ts
 * const transport = transportOptions({ timeout: '10', 'max-wait': '120' }, (message) => new Error(message));
 * // { timeoutMs: 10000, retry: { maxWaitMs: 120000 } }
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function transportOptions(values: Partial<Record<Flag, string | undefined>>, refuse: (message: string) => Error): Pick<OktaTransportOptions, 'timeoutMs' | 'retry'> {
  const given: Partial<Record<Flag, number>> = {};
  for (const [flag, { ms, min, max, what }] of Object.entries(transportFlags) as [Flag, (typeof transportFlags)[Flag]][]) {
    const raw = values[flag];
    if (raw === undefined) continue;
    given[flag] = wholeNumberFlag(flag, raw, min, max, what, refuse) * ms;
  }
  const { timeout: timeoutMs, 'max-wait': maxWaitMs, retries: limit } = given;
  const retry = { ...(limit === undefined ? {} : { limit }), ...(maxWaitMs === undefined ? {} : { maxWaitMs }) };
  return { ...(timeoutMs === undefined ? {} : { timeoutMs }), ...(Object.keys(retry).length === 0 ? {} : { retry }) };
}

/**
 * Each option of {@link transportFlags} and its flag; and `retry: false`, which no flag sets: the CLI
 * passes it only for doctor's probe (one attempt, so a 429 is reported, not waited out).
 */
const flagOf = new Map<string, string>([...Object.entries(transportFlags).map(([flag, { option }]): [string, string] => [option, `--${flag}`]), ['retry: false', 'doctor asks once']]);
const option = '(?:timeoutMs|retry\\.maxWaitMs|retry\\.limit)';
/**
 * Where core and okta-oauth name an option in their advice, and only there: `raise X`, `left of X`,
 * `within X` (each `X` or `X and Y`), `(timeoutMs)`, `not retried: retry.limit (N) spent`, `not retried (retry: false)`.
 */
const advice = new RegExp(`(?<=\\b(?:raise|left of|within) (?:${option} and )?)${option}(?!\\.?\\w)|(?<=\\()timeoutMs(?=\\))|(?<=not retried: )retry\\.limit(?= \\(\\d+\\) spent)|(?<=not retried \\()retry: false(?=\\))`, 'g');
/** The ms of a bound their advice names, and of the 429's wait set against it: the flags take seconds. */
const msOfBound = /(?<=wait of )(\d+) ms(?= for the reset)|\b(\d+) ms(?= left of (?:timeoutMs|retry\.maxWaitMs)| \(timeoutMs\))/g;

/**
 * An error's message as the CLI prints it (through `plain`): a library's (`OktaAuthError`,
 * okta-oauth's included) with its advice in the CLI's words, each transport option it tells the
 * caller to raise named as the flag that sets it and that bound's ms in seconds, the flags' unit
 * ("the 65000 ms left of retry.maxWaitMs; raise retry.maxWaitMs" reads "the 65 s left of
 * --max-wait; raise --max-wait"); any other's (the CLI's own, quoting a profile name or a path as
 * given) as it is. A 429's `not retried (retry: false)` reads `not retried (doctor asks once)`: no flag sets
 * `retry: false`, the CLI passes it for doctor's API call alone. Given the run's `profile`, a sign-in's
 * end (`LOGIN_REQUIRED`: "…: sign in again.") ends with the command to run ({@link loginCommand}).
 *
 * @example
 * ```ts
 * inCliWords(new OktaAuthError('RATE_LIMITED', 'past the 65000 ms left of retry.maxWaitMs; raise retry.maxWaitMs')); // 'past the 65 s left of --max-wait; raise --max-wait'
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function inCliWords(error: unknown, profile?: string): string {
  if (!isOktaAuthError(error)) return error instanceof Error ? error.message : String(error);
  const words = error.message.replace(msOfBound, (_, wait?: string, left?: string) => `${Number(wait ?? left) / 1000} s`).replace(advice, (name) => flagOf.get(name) ?? name);
  return profile === undefined || error.code !== 'LOGIN_REQUIRED' ? words : words.replace(/sign in again\.$/, `run ${loginCommand(profile)}.`);
}

/**
 * The command that signs the profile's user in (`--profile` unless it is the default one): what a
 * message ending a sign-in tells to run.
 * @example
 * ```ts
 * loginCommand('staging'); // 'okta-auth login --profile staging'
 * ```
 * @see https://developer.okta.com/docs/guides/device-authorization-grant/main/
 */
export const loginCommand = (profile: string): string => `okta-auth login${profile === 'default' ? '' : ` --profile ${profile}`}`;
