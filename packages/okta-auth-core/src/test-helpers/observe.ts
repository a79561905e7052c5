/**
 * The differential harness: one call through each of the three drivers (`createOktaFetch`,
 * `createOktaKy`, a plain `ky.create({ hooks: oktaKyHooks(…) })`), and what the caller got, in
 * one comparable shape: the outcome (the JSON, or the error's class and fields), what went out
 * (counted by a pass-through `fetch` that records each attempt's retry headers and the request
 * id of its answer) and the log events. Request ids are random: each is shown as the answer it
 * came with (`answer#1`), so runs compare.
 */
import ky from 'ky';
import { isOktaApiError } from '../errors/api-error.js';
import type { OktaCredential } from '../credential.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import type { OktaLogEvent } from '../config/logger.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import type { RetryOptions } from '../config/transport.js';
import type { CoordinatedRateLimits } from '../rate-limit/rate-limit-coordinator.js';

export const driverNames = ['fetch', 'ky instance', 'ky hooks'] as const;
export type DriverName = (typeof driverNames)[number];

/** One call: a path (or URL) on the org, its method and JSON body, the caller's signal. */
export interface Call {
  readonly path: string;
  readonly method?: 'GET' | 'POST' | 'PUT';
  readonly json?: unknown;
  readonly signal?: AbortSignal;
}

export interface ClientOptions {
  readonly credential: OktaCredential;
  readonly retry?: RetryOptions | false;
  readonly timeoutMs?: number;
  /** `false`: a non-2xx answer is handed back (createOktaFetch's option, ky's per call). */
  readonly throwHttpErrors?: boolean;
  /** Called with each log event too, as it is logged (a caller's logger that acts on one, say). */
  readonly logger?: (event: OktaLogEvent) => void;
  /** A rate-limit coordinator (a fresh one per driver's call). */
  readonly rateLimitCoordinator?: CoordinatedRateLimits;
}

/** What the caller got and what was sent. */
export interface Observed {
  /** The JSON of a 2xx, or the error's class and fields. */
  readonly outcome: unknown;
  /** Attempts handed to fetch, each as its `[X-Okta-Retry-For, X-Okta-Retry-Count]`. */
  readonly sent: (string | null)[][];
  /** `type#attempt:detail` per log event. */
  readonly events: string[];
}

/** How each driver sends a call, given the recording fetch and the logger. */
const send: Record<DriverName, (call: Call, options: ClientOptions & { fetch: typeof fetch; logger: (e: OktaLogEvent) => void }) => Promise<unknown>> = {
  fetch: async ({ path, method = 'GET', json, signal }, options) => {
    const body = json === undefined ? undefined : JSON.stringify(json);
    return (await createOktaFetch(options)(path, { method, ...(body === undefined ? {} : { body }), ...(signal ? { signal } : {}) })).json();
  },
  'ky instance': ({ path, method = 'GET', json, signal }, options) =>
    createOktaKy(options)(path.replace(/^\//, ''), { method, json, signal: signal ?? null, throwHttpErrors: options.throwHttpErrors ?? true }).json(),
  // With retry: false, the instance the core README gives for one attempt per call (ky's own retries are the instance's).
  'ky hooks': ({ path, method = 'GET', json, signal }, { fetch: recorder, ...options }) =>
    ky
      .create({ baseUrl: `${options.credential.origin}/`, fetch: recorder, hooks: oktaKyHooks(options), ...(options.retry === false && { retry: { limit: 1, methods: [] } }) })(path.replace(/^\//, ''), {
        method,
        json,
        signal: signal ?? null,
        throwHttpErrors: options.throwHttpErrors ?? true,
      })
      .json(),
};

/** The error's class and the fields a caller reads. */
function shape(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { thrown: error };
  const fields: Record<string, unknown> = { class: error.constructor.name, name: error.name, message: error.message };
  if ('code' in error) fields.code = error.code;
  if (isOktaApiError(error)) {
    Object.assign(fields, { status: error.status, errorCode: error.errorCode, errorSummary: error.errorSummary, requestId: error.requestId, challenges: error.challenges });
  }
  return fields;
}

/** Replaces every request id of the answers (in any string, deep) by `answer#n`, and the org's host (`attemptName` names it) by `<org>`. */
function named(value: unknown, ids: string[], host: string): unknown {
  if (typeof value === 'string') return ids.reduce((text, id, index) => (id === '' ? text : text.replaceAll(id, `answer#${index + 1}`)), value).replaceAll(host, '<org>');
  if (Array.isArray(value)) return value.map((item) => named(item, ids, host));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, named(item, ids, host)]));
  return value;
}

function eventText(event: OktaLogEvent): string {
  const detail = 'status' in event ? event.status : 'reason' in event ? event.reason : 'waitMs' in event ? event.waitMs : 'code' in event ? event.code : undefined;
  return `${event.type}#${'attempt' in event ? event.attempt : '-'}${detail === undefined ? '' : `:${detail}`}`;
}

/**
 * Runs `call` through `driver` and observes it. `settle` bounds the wait for the outcome (a read
 * nothing else bounds): when it wins, the outcome is `'pending'` and `settle`'s value is ignored.
 * `events` receives the log events as logged (their fields), for a test that compares them whole.
 */
export async function observe(driver: DriverName, call: Call, options: ClientOptions, settle?: Promise<unknown>, events: OktaLogEvent[] = []): Promise<Observed> {
  const sent: (string | null)[][] = [];
  const ids: string[] = [];
  const recorder: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    sent.push([headers.get('x-okta-retry-for'), headers.get('x-okta-retry-count')]);
    const response = await globalThis.fetch(input, init);
    ids.push(response.headers.get('x-okta-request-id') ?? '');
    return response;
  };
  const pending = Symbol('pending');
  const result = send[driver](call, { ...options, fetch: recorder, logger: (event) => (events.push(event), options.logger?.(event)) }).then(
    (value) => ({ value }),
    (error: unknown) => ({ error: shape(error) }),
  );
  const outcome = await (settle ? Promise.race([result, settle.then(() => pending)]) : result);
  return named({ outcome: outcome === pending ? 'pending' : outcome, sent, events: events.map(eventText) }, ids, new URL(options.credential.origin).host) as Observed;
}
