import { Secret } from '@org/okta-auth-core';
import { configError } from '../errors.js';
import { isDpopJkt, isSendableToken, isTokenExpiry, isTokenRecord } from '../token-endpoint/token-response.js';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * The plain-JSON form of {@link UserTokens}, from {@link UserTokens.toStorable}:
 * the tokens in clear text. Persist it only where you mean to (an encrypted
 * server session, `sessionStorage` you chose, an OS keychain).
 * @example
 * ```ts
 * req.session.tokens = tokens.toStorable();
 * const again = UserTokens.fromStorable(req.session.tokens);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export interface StoredUserTokens {
  /** The format version. */
  readonly version: 1;
  /** The access token. */
  readonly accessToken: string;
  /** `Bearer` or `DPoP`. */
  readonly tokenType: 'Bearer' | 'DPoP';
  /**
   * When the access token expires, in epoch milliseconds on Okta's clock as the client that obtained it knew it (its own
   * corrected by the token answer's `Date`; a `/sign-in` client without a JWT client authentication, its own); absent if
   * Okta did not say. Stored by an earlier release: on its writer's own clock.
   */
  readonly expiresAt?: number;
  /** The refresh token, with `offline_access`. */
  readonly refreshToken?: string;
  /** The ID token, when there is one. */
  readonly idToken?: string;
  /** The granted scopes, space separated. */
  readonly scope?: string;
  /**
   * DPoP tokens: the RFC 7638 SHA-256 thumbprint of the DPoP public key they are bound to (public
   * data). Absent in tokens stored by earlier releases: those are sent as they are.
   */
  readonly dpopJkt?: string;
}

/**
 * What {@link UserTokens} is made of: the values of a token endpoint answer
 * (RFC 6749 §5.1), with `expires_in` turned into `expiresAt`.
 * @example
 * ```ts
 * declare const accessToken: string, refreshToken: string; // from a token answer
 * const tokens = new UserTokens({ accessToken, tokenType: 'Bearer', expiresAt: Date.now() + 3600_000, refreshToken });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export interface UserTokenFields {
  /** The access token. */
  readonly accessToken: string;
  /** `Bearer` or `DPoP`. */
  readonly tokenType: 'Bearer' | 'DPoP';
  /** Epoch milliseconds. */
  readonly expiresAt?: number | undefined;
  /** The refresh token, with `offline_access`. */
  readonly refreshToken?: string | undefined;
  /** The ID token, when there is one. */
  readonly idToken?: string | undefined;
  /** Space separated. */
  readonly scope?: string | undefined;
  /** DPoP tokens: the RFC 7638 SHA-256 thumbprint (43 base64url characters) of the DPoP public key they are bound to; anything else, or one on Bearer tokens, is `INVALID_CONFIG`. */
  readonly dpopJkt?: string | undefined;
}

/**
 * A signed-in user's tokens from Okta's org authorization server. The
 * access, refresh and ID tokens are core `Secret`s: `JSON.stringify`,
 * template literals and `util.inspect` show masks. To persist them, call
 * {@link UserTokens.toStorable} (an explicit choice) and later
 * {@link UserTokens.fromStorable}.
 *
 * The access token is opaque: Okta says org authorization server tokens are
 * not for clients to decode, so only `expiresAt` (from `expires_in`) is known.
 *
 * @example
 * ```ts
 * const { tokens } = await client.finishSignIn(callbackUrl, transaction);
 * console.log(tokens); // UserTokens { tokenType: 'Bearer', accessToken: '[redacted …x1Yz]', … }
 * session.tokens = tokens.toStorable();
 * const again = UserTokens.fromStorable(session.tokens);
 * ```
 * @see https://developer.okta.com/docs/concepts/auth-servers/#org-authorization-server
 */
export class UserTokens {
  /** `Bearer`, or `DPoP` when the access token is bound to a DPoP key. */
  declare readonly tokenType: 'Bearer' | 'DPoP';
  /** When the access token expires, in epoch milliseconds on Okta's clock as the client knew it ({@link StoredUserTokens.expiresAt}); `undefined` if Okta did not say. */
  declare readonly expiresAt: number | undefined;
  /** The granted scopes (Okta may grant fewer than requested). */
  declare readonly scopes: readonly string[];
  /** The access token, as a `Secret`. */
  declare readonly accessToken: Secret;
  /** Present when `offline_access` was granted. */
  declare readonly refreshToken: Secret | undefined;
  /** Present when `openid` was granted. */
  declare readonly idToken: Secret | undefined;
  /**
   * DPoP tokens: the RFC 7638 thumbprint of the DPoP public key they are bound to, so a client
   * with another key refuses them before sending them; `undefined` for Bearer tokens and DPoP
   * tokens stored before it was recorded.
   */
  declare readonly dpopJkt: string | undefined;

  /**
   * Wraps token values you already hold. Usually you get tokens from the
   * sign-in client, or back from storage with {@link UserTokens.fromStorable}.
   */
  constructor(fields: UserTokenFields) {
    if (typeof fields !== 'object' || (fields as unknown) === null || typeof fields.accessToken !== 'string' || fields.accessToken === '') {
      throw configError('UserTokens needs a non-empty accessToken.');
    }
    if (!(['Bearer', 'DPoP'] as unknown[]).includes(fields.tokenType)) {
      throw configError('UserTokens: tokenType must be "Bearer" or "DPoP".');
    }
    if (!isDpopJkt(fields.tokenType, fields.dpopJkt)) {
      throw configError('UserTokens: dpopJkt must be a DPoP key thumbprint (43 base64url characters), on DPoP tokens only.');
    }
    this.tokenType = fields.tokenType;
    this.expiresAt = fields.expiresAt;
    this.scopes = Object.freeze(fields.scope === undefined ? [] : fields.scope.split(' ').filter((s) => s !== ''));
    this.accessToken = new Secret(fields.accessToken);
    this.refreshToken = fields.refreshToken === undefined ? undefined : new Secret(fields.refreshToken);
    this.idToken = fields.idToken === undefined ? undefined : new Secret(fields.idToken);
    this.dpopJkt = fields.dpopJkt;
    Object.freeze(this);
  }

  /**
   * Whether the access token has expired, or will within `withinSeconds`, at `now` (this host's clock by default;
   * `expiresAt` is Okta's: a host whose clock is off is off by as much). `false` when the expiry is unknown.
   */
  isExpired(withinSeconds = 0, now: number = Date.now()): boolean {
    return this.expiresAt !== undefined && now + withinSeconds * 1000 >= this.expiresAt;
  }

  /**
   * The tokens as plain JSON, in clear text, for storage you chose.
   * DPoP-bound tokens are usable only with the same DPoP key: store it too
   * (a non-extractable `CryptoKey` can go into IndexedDB). Their record names
   * that key by its thumbprint (`dpopJkt`, public), so a client given another
   * key refuses them before sending them.
   */
  toStorable(): StoredUserTokens {
    return {
      version: 1,
      accessToken: this.accessToken.reveal(),
      tokenType: this.tokenType,
      ...(this.expiresAt === undefined ? {} : { expiresAt: this.expiresAt }),
      ...(this.refreshToken === undefined ? {} : { refreshToken: this.refreshToken.reveal() }),
      ...(this.idToken === undefined ? {} : { idToken: this.idToken.reveal() }),
      ...(this.scopes.length === 0 ? {} : { scope: this.scopes.join(' ') }),
      ...(this.dpopJkt === undefined ? {} : { dpopJkt: this.dpopJkt }),
    };
  }

  /**
   * Rebuilds tokens from {@link UserTokens.toStorable} output (an object, or
   * its JSON text), checking its shape, and its values by the token answer's
   * rules: a token that is not printable ASCII without spaces of at most 64 KiB
   * (it goes in a header or a form), an `expiresAt` more than 366 days ahead,
   * or a scope that is not RFC 6749 §3.3's syntax (a control character, a
   * tab) or is over 8,192 characters is malformed, as in the token answer and
   * a shared token store (the scope is quoted in hints), as is a `dpopJkt` that
   * is not 43 base64url characters or is on Bearer tokens.
   *
   * Its optional fields take `undefined` too (a row whose `refreshToken` is a `string | undefined`,
   * under `exactOptionalPropertyTypes`): absent, as the runtime reads them.
   *
   * @throws {OktaOAuthError} `INVALID_CONFIG` when the value is not stored tokens.
   */
  static fromStorable(
    stored: ({ readonly [K in keyof StoredUserTokens]?: StoredUserTokens[K] | undefined } & Pick<StoredUserTokens, 'version' | 'accessToken' | 'tokenType'>) | string,
  ): UserTokens {
    let value: unknown = stored;
    if (typeof stored === 'string') {
      try {
        value = JSON.parse(stored);
      } catch {
        throw configError('The stored tokens are not JSON.');
      }
    }
    const v = value as Partial<Record<keyof StoredUserTokens, unknown>> | null;
    // What a token answer could not have given is malformed here too: one rule for both.
    const optionalToken = (x: unknown) => x === undefined || isSendableToken(x);
    if (
      !isTokenRecord(v) ||
      v.version !== 1 ||
      !(v.expiresAt === undefined || isTokenExpiry(v.expiresAt, Date.now())) ||
      !optionalToken(v.refreshToken) ||
      !optionalToken(v.idToken)
    ) {
      throw configError('The stored tokens are malformed: pass what UserTokens.toStorable() returned.');
    }
    // Checked above: the constructor reads these fields and no other.
    return new UserTokens(v);
  }

  /** A masked summary: never the tokens themselves. */
  toJSON(): Record<string, unknown> {
    return {
      tokenType: this.tokenType,
      accessToken: this.accessToken.toString(),
      refreshToken: this.refreshToken?.toString(),
      idToken: this.idToken?.toString(),
      expiresAt: this.expiresAt,
      scopes: this.scopes,
      dpopJkt: this.dpopJkt,
    };
  }

  /** What `util.inspect` shows: masks, never tokens. */
  [inspectSymbol](): string {
    return `UserTokens ${JSON.stringify(this.toJSON())}`;
  }
}
