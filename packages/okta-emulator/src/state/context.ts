import { Clock } from './clock.js';
import { Counters } from '../controls/counters.js';
import { DpopNonces } from '../protocol/dpop-nonces.js';
import { Faults } from '../controls/faults.js';
import { RequestLog } from '../controls/request-log.js';
import type { RotationMode } from './model.js';
import { RateLimiter } from '../controls/rate-limit.js';
import { SigningKeys } from './signing-keys.js';
import { randomToken } from './ids.js';
import { Store } from './store.js';
import { SystemLog } from './system-log.js';

/**
 * Ways `OktaEmulator.corruptNextIdToken` can spoil the next ID token, one per check a client must
 * make (OIDC Core 3.1.3.7): `signature` (a bad signature), `unknown-kid` (signed by a key the JWKS
 * does not publish), `issuer` (another `iss`), `audience` (another `aud`), `azp` (two audiences and
 * an `azp` naming another client), `nonce` (a different nonce), `expired` (`exp` in the past),
 * `future-iat` (`iat` an hour ahead).
 *
 * @example
 * ```ts
 * org.corruptNextIdToken('audience'); // the next ID token has aud = '<clientId>-other'
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export type IdTokenCorruption =
  | 'signature'
  | 'unknown-kid'
  | 'issuer'
  | 'audience'
  | 'azp'
  | 'nonce'
  | 'expired'
  | 'future-iat';

/** Every {@link IdTokenCorruption}, to check input against. */
export const ID_TOKEN_CORRUPTIONS: readonly IdTokenCorruption[] = [
  'signature',
  'unknown-kid',
  'issuer',
  'audience',
  'azp',
  'nonce',
  'expired',
  'future-iat',
];

export interface OrgSettings {
  tokenLifetimeSeconds: number;
  dpopNonceLifetimeSeconds: number;
  /** Every sign-in app's rotation unless it sets one; unset: Okta's default for the app's type (`refreshPolicy`). */
  refreshTokenRotation: RotationMode | undefined;
  /** Seconds a rotated refresh token stays usable (Okta's default grace period is 30 s). */
  refreshTokenGraceSeconds: number;
  authCodeLifetimeSeconds: number;
  deviceCodeLifetimeSeconds: number;
  deviceIntervalSeconds: number;
  /** The status of a denied device poll's `access_denied` (`EmulatorOptions.deviceDeniedStatus`). */
  deviceDeniedStatus: 400 | 403;
  /** RFC 9207: `iss` in authorization responses and the discovery flag (`EmulatorOptions.authorizationResponseIss`). */
  authorizationResponseIss: boolean;
  /** The Trusted Origins (CORS scope) browsers may call from; `undefined`: any origin (`EmulatorOptions.trustedOrigins`, `addTrustedOrigin`). */
  trustedOrigins: Set<string> | undefined;
  /** Okta's browser-request rules at `/oauth2/v1/token` (`EmulatorOptions.browserRules`). */
  browserRules: boolean;
  /** How far a DPoP proof's `iat` may lie in the past / future. */
  proofMaxAgeSeconds: number;
  proofMaxFutureSeconds: number;
}

/** The whole state of one emulated org; route handlers close over it. */
export class OrgContext {
  url = '';
  /** Distinguishes this org's session cookie from other emulators on the same host. */
  readonly tag = randomToken(6).replace(/[-_]/g, 'x');
  readonly clock = new Clock();
  readonly counters = new Counters();
  readonly faults = new Faults(this.clock);
  /** The org's last requests, secrets redacted (`OktaEmulator.requests`). */
  readonly requestLog = new RequestLog();
  readonly limiter: RateLimiter;
  readonly store: Store;
  /** The System Log (`GET /api/v1/logs`). */
  readonly systemLog = new SystemLog(this.clock);
  readonly nonces: DpopNonces;
  readonly signingKeys: SigningKeys;
  readonly settings: OrgSettings;
  concurrencyLimit: number | undefined;
  requireResourceNonce = false;
  corruptNextIdToken: IdTokenCorruption | undefined;
  /** Fields laid over the discovery document (`OktaEmulator.overrideDiscovery`); `null` removes a field. */
  discoveryOverrides: Readonly<Record<string, unknown>> = {};

  constructor(settings: OrgSettings, rateLimits: Readonly<Record<string, number>>) {
    this.settings = settings;
    this.signingKeys = new SigningKeys();
    this.limiter = new RateLimiter(this.clock, rateLimits);
    this.store = new Store(this.clock.nowMs());
    this.nonces = new DpopNonces(this.clock, settings.dpopNonceLifetimeSeconds);
  }

  get tokenEndpoint(): string {
    return `${this.url}/oauth2/v1/token`;
  }
}
