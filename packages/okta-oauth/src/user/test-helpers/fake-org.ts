/**
 * A tiny in-process stand-in for Okta's org authorization server, served
 * through an injected `fetch`. Being retired in favour of @org/okta-emulator
 * (docs/ARCHITECTURE.md, "One fake Okta"): ID-token corruptions already moved
 * there; do not add new abilities here, add them to the emulator's controls.
 */
import { SignJWT, exportJWK, generateKeyPair, base64url, jwtVerify, type CryptoKey, type JWK } from 'jose';

export interface FakeOrgOptions {
  readonly origin?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly rotation?: 'rotate' | 'static';
  readonly tokenLifetimeSeconds?: number;
  /** Authenticates the client with private_key_jwt against this public key. */
  readonly clientPublicKey?: CryptoKey;
}

interface Code {
  readonly challenge: string;
  readonly redirectUri: string;
  readonly nonce: string | undefined;
  readonly scope: string;
  used: boolean;
}

interface Grant {
  readonly scope: string;
  readonly sub: string;
  active: boolean;
}

export interface FakeOrg {
  readonly origin: string;
  readonly clientId: string;
  readonly fetch: typeof fetch;
  readonly requests: { method: string; path: string; body: URLSearchParams | undefined; headers: Headers }[];
  /** Plays the user signing in: turns an authorize URL into the callback URL. */
  approve(authorizeUrl: URL, options?: { error?: string; iss?: string | null; state?: string }): string;
  rotateSigningKey(): Promise<void>;
  /** Scripts the next answers of device polling (`authorization_pending`, `slow_down`, `expired_token`, `access_denied`, `approve`). */
  scriptDevice(answers: string[]): void;
  /** The `interval` the device authorization answer carries (5 by default). */
  deviceInterval: number;
  /** Makes the next token request fail with this status and body. */
  failNextToken(status: number, body: Record<string, string>, headers?: Record<string, string>): void;
  revokeAllRefreshTokens(): void;
  /** Sets the fake org's clock offset, seconds. */
  setClockOffset(seconds: number): void;
  readonly refreshCount: () => number;
  readonly metadataOverrides: Record<string, unknown>;
  accessTokenActive(token: string): boolean;
  expireAccessTokens(): void;
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

async function s256(verifier: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

function random(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(24)));
}

/** RSA key generation is slow on small machines: the pool is shared by every fake org. */
const keyPool: Promise<CryptoKeyPair>[] = [];
function pooledKeyPair(index: number): Promise<CryptoKeyPair> {
  while (keyPool.length <= index) keyPool.push(generateKeyPair('RS256'));
  return keyPool[index]!;
}

export async function startFakeOrg(options: FakeOrgOptions = {}): Promise<FakeOrg> {
  const origin = options.origin ?? 'https://acme.okta.com';
  const clientId = options.clientId ?? '0oa-fake-client';
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  let offset = 0;
  let kidCounter = 0;
  const nowSeconds = () => Math.floor(Date.now() / 1000) + offset;
  let signing = await newKey();
  const retired: { key: CryptoKey; jwk: JWK }[] = [];
  const codes = new Map<string, Code>();
  const refreshTokens = new Map<string, Grant>();
  const accessTokens = new Map<string, { exp: number; active: boolean; dpopJkt?: string }>();
  const requests: FakeOrg['requests'] = [];
  let deviceScript: string[] = [];
  let failNext: { status: number; body: Record<string, string>; headers: Record<string, string> } | undefined;
  let refreshes = 0;
  const metadataOverrides: Record<string, unknown> = {};

  async function newKey(): Promise<{ key: CryptoKey; jwk: JWK }> {
    const { privateKey, publicKey } = await pooledKeyPair(kidCounter);
    kidCounter++;
    const jwk = { ...(await exportJWK(publicKey)), kid: `kid-${kidCounter}`, alg: 'RS256', use: 'sig' };
    return { key: privateKey, jwk };
  }

  async function idToken(sub: string, nonce: string | undefined): Promise<string> {
    const now = nowSeconds();
    const claims: Record<string, unknown> = { sub, ver: 1, name: 'Ada Admin', email: 'ada@example.com', auth_time: now - 5 };
    if (nonce !== undefined) claims.nonce = nonce;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: signing.jwk.kid ?? 'x' })
      .setIssuer(origin)
      .setAudience(clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .setJti(random())
      .sign(signing.key);
  }

  async function issue(scope: string, sub: string, nonce: string | undefined, previousRefresh?: string): Promise<Response> {
    const accessToken = `at-${random()}`;
    accessTokens.set(accessToken, { exp: nowSeconds() + lifetime, active: true });
    const body: Record<string, unknown> = { token_type: 'Bearer', access_token: accessToken, expires_in: lifetime, scope };
    const scopes = scope.split(' ');
    if (scopes.includes('offline_access')) {
      if (previousRefresh !== undefined && options.rotation === 'static') {
        body.refresh_token = previousRefresh;
      } else {
        const refreshToken = `rt-${random()}`;
        refreshTokens.set(refreshToken, { scope, sub, active: true });
        if (previousRefresh !== undefined) {
          const old = refreshTokens.get(previousRefresh);
          if (old) old.active = false;
        }
        body.refresh_token = refreshToken;
      }
    }
    if (scopes.includes('openid')) body.id_token = await idToken(sub, nonce);
    return json(body, 200, { 'cache-control': 'no-store' });
  }

  async function clientOk(form: URLSearchParams, headers: Headers, path: string): Promise<boolean> {
    if (options.clientPublicKey !== undefined) {
      if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return false;
      try {
        // Okta: the audience must be the endpoint invoked.
        await jwtVerify(form.get('client_assertion') ?? '', options.clientPublicKey, { issuer: clientId, subject: clientId, audience: `${origin}${path}` });
        return true;
      } catch {
        return false;
      }
    }
    if (options.clientSecret === undefined) return form.get('client_id') === clientId;
    const basic = headers.get('authorization');
    if (basic === null) return form.get('client_id') === clientId && form.get('client_secret') === options.clientSecret;
    return basic === `Basic ${btoa(`${clientId}:${options.clientSecret}`)}`;
  }

  async function token(form: URLSearchParams, headers: Headers): Promise<Response> {
    if (failNext) {
      const f = failNext;
      failNext = undefined;
      return json(f.body, f.status, f.headers);
    }
    if (!(await clientOk(form, headers, '/oauth2/v1/token'))) return json({ error: 'invalid_client', error_description: 'Client authentication failed.' }, 401);
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      if (!code || code.used) return json({ error: 'invalid_grant', error_description: 'The authorization code is invalid or has expired.' }, 400);
      code.used = true;
      if (form.get('redirect_uri') !== code.redirectUri) return json({ error: 'invalid_grant', error_description: 'redirect_uri mismatch' }, 400);
      if ((await s256(form.get('code_verifier') ?? '')) !== code.challenge) {
        return json({ error: 'invalid_grant', error_description: 'PKCE verification failed.' }, 400);
      }
      return issue(code.scope, '00u-ada', code.nonce);
    }
    if (grant === 'refresh_token') {
      refreshes++;
      const rt = form.get('refresh_token') ?? '';
      const found = refreshTokens.get(rt);
      if (!found?.active) return json({ error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' }, 400);
      return issue(found.scope, found.sub, undefined, rt);
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:device_code') {
      const next = deviceScript.shift() ?? 'authorization_pending';
      if (next === 'approve') return issue('openid offline_access okta.users.read', '00u-ada', undefined);
      return json({ error: next, error_description: `device: ${next}` }, 400);
    }
    return json({ error: 'unsupported_grant_type' }, 400);
  }

  const fetchImpl = async (info: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const input = new Request(info, init);
    const url = new URL(input.url);
    if (url.origin !== origin) throw new TypeError(`fake org: unexpected origin ${url.origin}`);
    const body = input.method === 'POST' ? new URLSearchParams(await input.text()) : undefined;
    requests.push({ method: input.method, path: url.pathname, body, headers: input.headers });
    switch (url.pathname) {
      case '/.well-known/openid-configuration':
        return json({
          issuer: origin,
          authorization_endpoint: `${origin}/oauth2/v1/authorize`,
          token_endpoint: `${origin}/oauth2/v1/token`,
          jwks_uri: `${origin}/oauth2/v1/keys`,
          revocation_endpoint: `${origin}/oauth2/v1/revoke`,
          introspection_endpoint: `${origin}/oauth2/v1/introspect`,
          device_authorization_endpoint: `${origin}/oauth2/v1/device/authorize`,
          end_session_endpoint: `${origin}/oauth2/v1/logout`,
          code_challenge_methods_supported: ['S256'],
          id_token_signing_alg_values_supported: ['RS256'],
          authorization_response_iss_parameter_supported: true,
          ...metadataOverrides,
        });
      case '/oauth2/v1/keys':
        return json({ keys: [signing.jwk, ...retired.map((k) => k.jwk)] });
      case '/oauth2/v1/token':
        return token(body ?? new URLSearchParams(), input.headers);
      case '/oauth2/v1/revoke': {
        if (!(await clientOk(body ?? new URLSearchParams(), input.headers, url.pathname))) return json({ error: 'invalid_client' }, 401);
        const t = body?.get('token') ?? '';
        const rt = refreshTokens.get(t);
        if (rt) rt.active = false;
        const at = accessTokens.get(t);
        if (at) at.active = false;
        return new Response(null, { status: 200 });
      }
      case '/oauth2/v1/introspect': {
        if (!(await clientOk(body ?? new URLSearchParams(), input.headers, url.pathname))) return json({ error: 'invalid_client' }, 401);
        const t = body?.get('token') ?? '';
        const at = accessTokens.get(t);
        if (at?.active && at.exp > nowSeconds()) return json({ active: true, token_type: 'Bearer', client_id: clientId, exp: at.exp, sub: 'ada@example.com', uid: '00u-ada' });
        const rt = refreshTokens.get(t);
        if (rt?.active) return json({ active: true, token_type: 'refresh_token', client_id: clientId });
        return json({ active: false });
      }
      case '/oauth2/v1/device/authorize':
        return json({
          device_code: `dc-${random()}`,
          user_code: 'WDJB-MJHT',
          verification_uri: `${origin}/activate`,
          verification_uri_complete: `${origin}/activate?user_code=WDJB-MJHT`,
          expires_in: 600,
          interval: org.deviceInterval,
        });
      case '/api/v1/users/me': {
        const auth = input.headers.get('authorization') ?? '';
        const at = accessTokens.get(auth.replace(/^Bearer /, ''));
        if (!at?.active || at.exp <= nowSeconds()) {
          return json({ errorCode: 'E0000011', errorSummary: 'Invalid token provided' }, 401, {
            'www-authenticate': `Bearer authorization_uri="${origin}/oauth2/v1/authorize", realm="${origin}", error="invalid_token", error_description="The token has expired."`,
          });
        }
        return json({ id: '00u-ada', profile: { login: 'ada@example.com' } });
      }
      default:
        return json({ errorCode: 'E0000007', errorSummary: 'Not found' }, 404);
    }
  };

  const org: FakeOrg = {
    origin,
    clientId,
    deviceInterval: 5,
    fetch: fetchImpl,
    requests,
    approve(authorizeUrl, approveOptions = {}) {
      const p = authorizeUrl.searchParams;
      const redirect = new URL(p.get('redirect_uri') ?? '');
      const state = approveOptions.state ?? p.get('state') ?? '';
      if (approveOptions.error !== undefined) {
        redirect.searchParams.set('error', approveOptions.error);
        redirect.searchParams.set('error_description', 'The user denied access.');
      } else {
        const code = random();
        codes.set(code, {
          challenge: p.get('code_challenge') ?? '',
          redirectUri: p.get('redirect_uri') ?? '',
          nonce: p.get('nonce') ?? undefined,
          scope: p.get('scope') ?? '',
          used: false,
        });
        redirect.searchParams.set('code', code);
      }
      redirect.searchParams.set('state', state);
      const iss = approveOptions.iss === undefined ? origin : approveOptions.iss;
      if (iss !== null) redirect.searchParams.set('iss', iss);
      return redirect.href;
    },
    async rotateSigningKey() {
      retired.length = 0;
      signing = await newKey();
    },
    scriptDevice(answers) {
      deviceScript = [...answers];
    },
    failNextToken(status, body, headers = {}) {
      failNext = { status, body, headers };
    },
    revokeAllRefreshTokens() {
      for (const grant of refreshTokens.values()) grant.active = false;
    },
    setClockOffset(seconds) {
      offset = seconds;
    },
    refreshCount: () => refreshes,
    metadataOverrides,
    accessTokenActive: (t) => accessTokens.get(t)?.active === true,
    expireAccessTokens() {
      for (const at of accessTokens.values()) at.exp = 0;
    },
  };
  return org;
}
