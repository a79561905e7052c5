/**
 * The one list of an attempt's secrets, for both drivers: what the attempt put on the wire (its
 * credential headers, whatever their names, and its form), read when it is sent and listed when
 * an answer first needs it. Every error, field and log event built from the answer is scrubbed
 * with it (docs/SECURITY.md, "Listed when needed").
 */
import { cookieSecrets } from './cookie-secrets.js';
import type { AttemptPolicy } from '../request/request-policy.js';
import { credentialValueSecrets, distinctSecrets, formSecrets, requestCredentialHeaders } from './secret.js';

const formType = 'application/x-www-form-urlencoded';

/** Where an attempt's `Cookie` value is among its credential header values. */
const cookieAt = requestCredentialHeaders.indexOf('cookie');

/**
 * The form an attempt sends (its secret fields are listed), as sent, or `undefined`: a
 * `URLSearchParams` body (fetch gives it the form type itself), or a body sent with the form
 * content type; a `Request`'s is read from a clone, before it is sent.
 */
export function attemptForm(headers: Headers, body: unknown, request?: Request): string | Promise<string> | undefined {
  if (!(body instanceof URLSearchParams || (body != null && (headers.get('content-type') ?? '').toLowerCase().includes(formType)))) return undefined;
  // A Request's body read as bytes: workerd warns on the console for each .text() of a form body (not text to it).
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- without a Request, the body is a string or a URLSearchParams (BuiltAttempt)
  return request?.clone().arrayBuffer().then((bytes) => new TextDecoder().decode(bytes)) ?? String(body);
}

/**
 * An attempt's secrets, listed on first use: an answer that is a 2xx, with no logger, never
 * needs them (docs/SECURITY.md, "Listed when needed"). Called, it returns the same list each time.
 */
export type AttemptSecrets = () => readonly string[];

/**
 * Per client (per policy, dropped with it; never module memory, so a secret outlives neither
 * its client nor reaches another's list): the secrets of each credential header value it last
 * listed (an attempt's list or {@link knownSecrets}; as sent: `scrub` finds their encoded forms). An API token's or access token's
 * header is the same for many attempts; a DPoP proof is new each time.
 */
const lastSecrets = new WeakMap<AttemptPolicy, Map<string, readonly string[]>>();

/** Per client likewise: the credential header values its last attempt sent (strings read at send time), in {@link requestCredentialHeaders}' order, then the credential's. */
const lastValues = new WeakMap<AttemptPolicy, readonly (string | null)[]>();

/**
 * The secrets known before an attempt is authorized (it has sent nothing yet): the credential
 * header values of the client's last attempt, whose token a server may have echoed into the path
 * of a `next` link, and what the caller names. What names an attempt whose `authorize` outlasts
 * `timeoutMs` is scrubbed with them.
 */
export function knownSecrets(policy: AttemptPolicy): readonly string[] {
  return distinctSecrets([...valueSecrets(policy, lastValues.get(policy) ?? []), ...(policy.secrets?.() ?? [])]);
}

/**
 * The one reading of credential header values (in {@link requestCredentialHeaders}' order, then the
 * credential's) into secrets: each value's as sent (`credentialValueSecrets`, taken from the client's
 * last listed values when there), the Cookie header's its cookies' values (its names are not secrets,
 * never kept for another header's value). The values read become the client's last.
 */
function valueSecrets(policy: AttemptPolicy, values: readonly (string | null)[]): string[] {
  const last = lastSecrets.get(policy);
  const next = new Map<string, readonly string[]>();
  const cookie = values[cookieAt];
  for (const value of values) if (value !== null && value !== cookie) next.set(value, last?.get(value) ?? credentialValueSecrets(value));
  lastSecrets.set(policy, next);
  return [...next.values(), cookieSecrets(cookie)].flat();
}

/**
 * The attempts of one call so far, for each later attempt's list: a call sent again (a DPoP
 * `use_dpop_nonce` challenge, a 429, a reset connection; a token request's nonce or clock retry,
 * which its `challenge` option asks for) gets an answer that may echo an EARLIER attempt's
 * `Authorization` value or DPoP proof, still valid for its minutes. One per call (the fetch
 * driver's `RetryState`, a ky call's state), dropped with it: at most one entry per attempt,
 * bounded by the retries. A new one is `{}`. @internal
 */
export interface AttemptTrail {
  /** The list of the call's latest attempt (which holds every earlier one's), once one was sent. */
  last?: AttemptSecrets;
}

/**
 * The one list of an attempt's secrets, from the request as it goes on the wire: the
 * credential-bearing headers (as `requestSecrets` finds them) and every value the credential
 * gave (whatever the header's name), the secret form fields, what the caller names, and every
 * earlier attempt's of the same call (`trail`, which this attempt joins). Every error, field and
 * log event built from the answer is scrubbed with it. What is on the wire is read now (header
 * values, the form as text: strings, which nothing can change later); the list itself is built
 * on first use ({@link AttemptSecrets}).
 */
export function attemptSecrets(headers: Headers, form: string | undefined, credentialValues: readonly string[], policy: AttemptPolicy, trail: AttemptTrail): AttemptSecrets {
  const values = requestCredentialHeaders.map((name) => headers.get(name));
  values.push(...credentialValues);
  lastValues.set(policy, values);
  // Asked now, as the rest: a secret the caller holds may change by the time an answer needs the list.
  const named = policy.secrets && [...policy.secrets()];
  const earlier = trail.last;
  let list: readonly string[] | undefined;
  // This attempt's list is the trail's from now on.
  return (trail.last = () => {
    if (list !== undefined) return list;
    // The earlier attempts' first: the values kept below are then this attempt's.
    const before = earlier?.() ?? [];
    return (list = distinctSecrets([valueSecrets(policy, values), form === undefined ? [] : formSecrets(form), named ?? [], before].flat()));
  });
}
