import type { AuthorizationHeaders, RequestAttempt } from '@org/okta-auth-core';
import { isNqchars, runtimeToken } from '@org/okta-auth-core/internal';
import { dpopHtu } from './htu.js';
import { DpopKey, type DpopAlgorithm } from './dpop-key.js';
import { configError } from '../errors.js';
import type { WebCryptoKeyPair } from '../internal/web-crypto.js';
import type { DpopMode } from '../token-endpoint/token-endpoint.js';
import { invalidTokenAnswer } from '../token-endpoint/token-response.js';

/** The longest `DPoP-Nonce` remembered. */
const maxNonceLength = 512;

/** Where a DPoP nonce came from: the authorization server's token endpoint or a resource server. @internal */
export type DpopNonceScope = 'token-endpoint' | 'resource';

/** The options of one {@link DpopSession}, checked (`checkDpop`/`checkDpopOptions` of `validate.ts`). @internal */
export interface DpopSessionOptions {
  /** `auto` (default) or `required`; `off` makes no session. */
  readonly mode?: DpopMode | undefined;
  readonly algorithm?: DpopAlgorithm | undefined;
  readonly keyPair?: WebCryptoKeyPair | undefined;
}

/**
 * Everything DPoP a credential holds for one org, and the DPoP part of the shared token pipeline
 * (`requestToken`, `createTokenCredential`), which reaches DPoP only through it: a bundle whose
 * factories never create one carries none of this. One key pair (created once, lazily, never
 * shared across orgs) and the last nonce each server sent. Token endpoint and resource
 * nonces are kept apart (RFC 9449 §8 and §9: an AS nonce is not an RS nonce), so a resource
 * nonce never replaces the token endpoint's (no extra token round trip); a resource without a
 * nonce of its own is sent the token endpoint's.
 * @see https://www.rfc-editor.org/rfc/rfc9449
 * @internal
 */
export class DpopSession {
  declare readonly origin: string;
  /** `auto` or `required`: what a Bearer token answer means (see {@link DpopSession.acceptBearer}). */
  declare readonly mode: DpopMode;
  readonly #key: Promise<DpopKey>;
  /** The key once generated: a warm proof does not wait on the promise again. */
  #ready: DpopKey | undefined;
  readonly #nonces = new Map<DpopNonceScope, string>();
  /** The nonce each attempt's proof carried (`undefined`: none). */
  readonly #sent = new WeakMap<object, string | undefined>();
  /**
   * `x-okta-user-agent-extended: isDPoP:true`, as Okta's Go and Python SDKs send on DPoP calls;
   * left out in browsers, where the core uses that header to carry the User-Agent.
   */
  readonly #headers: Readonly<Record<string, string>> = runtimeToken() === 'browser' ? {} : { 'x-okta-user-agent-extended': 'isDPoP:true' };

  constructor(origin: string, options: DpopSessionOptions = {}) {
    this.origin = origin;
    this.mode = options.mode ?? 'auto';
    const algorithm = options.algorithm ?? 'ES256';
    this.#key = options.keyPair === undefined ? DpopKey.generate(algorithm) : DpopKey.fromKeyPair(options.keyPair, algorithm);
    this.#key.then((key) => (this.#ready = key), () => undefined);
  }

  /** The key pair (generated on first use). */
  key(): Promise<DpopKey> {
    return this.#key;
  }

  /** The nonce last sent by that server, if any. */
  nonce(scope: DpopNonceScope): string | undefined {
    return this.#nonces.get(scope);
  }

  /**
   * Remembers the `DPoP-Nonce` header of any response (RFC 9449 §8.2: a server may rotate the
   * nonce on any answer). Returns true when the nonce is new.
   */
  observe(scope: DpopNonceScope, response: Response): boolean {
    // 1*NQCHAR (core's one test, as a scope token's) inside HTTP's optional whitespace (spaces and tabs: undici leaves
    // those after a value), nothing else cut: trim() would also cut control and non-ASCII characters, making a nonce the server never sent.
    const nonce = /^[ \t]*([^ \t]+)[ \t]*$/.exec(response.headers.get('dpop-nonce') ?? '')?.[1];
    // A nonce goes into every later proof: one longer than any real one (Okta's are ~40 characters) is ignored.
    if (nonce === undefined || nonce.length > maxNonceLength || !isNqchars(nonce)) return false;
    if (this.#nonces.get(scope) === nonce) return false;
    this.#nonces.set(scope, nonce);
    return true;
  }

  /**
   * A fresh proof for one request attempt: upper-case `htm`, decoded `htu`, new `jti`, the
   * nonce, `ath` with a token. With `attempt`, remembers which nonce that attempt carried, for
   * {@link DpopSession.retryForNonce}.
   */
  async proof(options: {
    readonly method: string;
    readonly url: URL;
    readonly scope: DpopNonceScope;
    readonly nowSeconds: number;
    readonly accessToken?: string | undefined;
    readonly attempt?: object | undefined;
  }): Promise<string> {
    const key = this.#ready ?? (await this.#key);
    const nonce = this.#current(options.scope);
    if (options.attempt !== undefined) this.#sent.set(options.attempt, nonce);
    return key.proof({ method: options.method, htu: dpopHtu(options.url), nowSeconds: options.nowSeconds, nonce, accessToken: options.accessToken });
  }

  /**
   * After a `use_dpop_nonce` answer to `attempt`: remembers the answer's nonce and says whether
   * a retry can succeed, i.e. whether the nonce now known differs from the one the attempt sent.
   * Comparing with what was *sent* (not with what was stored) matters when requests run
   * concurrently: the first answer stores the nonce, and every other request that went out
   * without it must still retry with it (RFC 9449 §8).
   */
  retryForNonce(scope: DpopNonceScope, response: Response, attempt: object): boolean {
    this.observe(scope, response);
    if (!this.#sent.has(attempt)) return false;
    const known = this.#current(scope);
    return known !== undefined && known !== this.#sent.get(attempt);
  }

  /**
   * The token endpoint's part of one attempt: a fresh proof (new `jti`, the current nonce) and
   * Okta's DPoP header on `headers`; remembers the nonce `attempt` carried.
   */
  async prove(headers: Headers, url: URL, nowSeconds: number, attempt: object): Promise<void> {
    headers.set('dpop', await this.proof({ method: 'POST', url, scope: 'token-endpoint', nowSeconds, attempt }));
    for (const [name, value] of Object.entries(this.#headers)) headers.set(name, value);
  }

  /** A resource request with a DPoP-bound token: `Authorization: DPoP …` and a fresh proof with its `ath` (RFC 9449 §7). */
  async authorize(attempt: RequestAttempt, accessToken: string, nowSeconds: number): Promise<AuthorizationHeaders> {
    const proof = await this.proof({ method: attempt.method, url: attempt.url, scope: 'resource', nowSeconds, accessToken, attempt });
    return { authorization: `DPoP ${accessToken}`, dpop: proof, ...this.#headers };
  }

  /** A token answer with `token_type: Bearer` although a proof was sent: `DPOP_NOT_BOUND` when the mode is `required`. */
  acceptBearer(response: Response, secrets: readonly string[]): void {
    if (this.mode === 'required') {
      throw invalidTokenAnswer(
        'Okta issued a Bearer token although dpop is "required": turn on "Require Demonstrating Proof of Possession (DPoP) header in token requests" for the app, or set dpop to "auto". The token was not used.',
        response,
        secrets,
        'DPOP_NOT_BOUND',
      );
    }
  }

  /** The nonce a proof for that server carries now. */
  #current(scope: DpopNonceScope): string | undefined {
    // A resource with no nonce of its own gets the org's token-endpoint nonce: harmless where
    // none is required (Okta today), and one round trip saved where the org shares them.
    return this.#nonces.get(scope) ?? (scope === 'resource' ? this.#nonces.get('token-endpoint') : undefined);
  }

  toJSON(): Record<string, string> {
    return { origin: this.origin };
  }
}

/** The DPoP part for the checked options: a session, or none when `mode` is `off`. @internal */
export function dpopPart(origin: string, options: DpopSessionOptions): DpopSession | undefined {
  return options.mode === 'off' ? undefined : new DpopSession(origin, options);
}

/**
 * The refusal (`INVALID_CONFIG`, thrown before anything is sent) of tokens bound to another key
 * than the session's, or none: `jkt`, the thumbprint their record names (a sign-in client's stored
 * user tokens); none passes (stored before it was recorded: Okta's refusal names the key later).
 * A credential throws it; `restoreCredential` restores nothing for it (the key was lost: the user
 * signs in again). A part of the root entry's sign-in client (`SignInParts.dpopBound`): a bundle
 * without DPoP carries neither the check nor its message, and a service app's does not either. @internal
 */
export async function dpopBound(dpop: DpopSession, jkt: string | undefined): Promise<Error | undefined> {
  if (jkt !== undefined && (await dpop.key()).thumbprint !== jkt) {
    return configError("credential: these tokens are bound to another DPoP key than this client's (one made without dpopKeyPair has a new key): give it the same dpopKeyPair (in a browser, loadBrowserDpopKeyPair with the same name), or sign the user in again.");
  }
  return undefined;
}
