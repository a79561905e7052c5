/**
 * What `POST /oauth2/v1/par` keeps for /authorize (RFC 9126 §2.1): the authorization request
 * alone. The client's credentials (`client_secret`, `client_assertion`, `client_assertion_type`)
 * authenticate the push and are not kept among the pushed parameters, which no HTTP answer shows:
 * this test reads the org's store, through the route's handler.
 */
import { describe, expect, it } from 'vitest';
import type { EmuRequest, Reply } from '../http/http-types.js';
import type { Router } from '../http/router.js';
import type { OktaEmulator, ServiceAppCredentials } from '../index.js';
import { createSignInApp } from '../state/apps.js';
import { OrgContext } from '../state/context.js';
import { clientAssertion, JWT_BEARER } from '../test-helpers/oauth.js';
import { pkce } from '../test-helpers/browser.js';
import { registerParRoutes } from './par.js';

const REDIRECT = 'http://localhost:5173/callback';

/** An org that is not listening: its PAR handler is called directly. */
function org(): { ctx: OrgContext; push: (form: Record<string, string>) => Promise<Reply> } {
  const ctx = new OrgContext(
    {
      tokenLifetimeSeconds: 3600,
      dpopNonceLifetimeSeconds: 86_400,
      refreshTokenRotation: undefined,
      authorizationResponseIss: false,
      trustedOrigins: undefined,
      browserRules: true,
      refreshTokenGraceSeconds: 30,
      authCodeLifetimeSeconds: 300,
      deviceCodeLifetimeSeconds: 600,
      deviceIntervalSeconds: 5,
      deviceDeniedStatus: 400,
      proofMaxAgeSeconds: 300,
      proofMaxFutureSeconds: 60,
    },
    {},
  );
  ctx.url = 'http://127.0.0.1:1';
  let handler: ((req: EmuRequest) => Promise<Reply>) | undefined;
  registerParRoutes({ add: (_method: string, _path: string, h: typeof handler) => (handler = h) } as unknown as Router, ctx);
  const push = (fields: Record<string, string>): Promise<Reply> => {
    const url = new URL(`${ctx.url}/oauth2/v1/par`);
    const body = Buffer.from(new URLSearchParams(fields).toString());
    const req: EmuRequest = { method: 'POST', url, rawPath: url.pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, requestId: 'r1', params: {} };
    return handler!(req);
  };
  return { ctx, push };
}

const request = (clientId: string): Record<string, string> => ({
  client_id: clientId,
  redirect_uri: REDIRECT,
  response_type: 'code',
  scope: 'openid',
  state: 'st-stored',
  code_challenge: pkce().challenge,
  code_challenge_method: 'S256',
});

/** The names of the parameters the org kept for the one request it was pushed. */
function storedNames(ctx: OrgContext): string[] {
  const [stored, ...more] = [...ctx.store.pushedRequests.values()];
  expect(more).toEqual([]);
  return (stored?.params ?? []).map(([name]) => name).sort();
}

const AUTHORIZE_NAMES = ['client_id', 'code_challenge', 'code_challenge_method', 'redirect_uri', 'response_type', 'scope', 'state'];

describe("what POST /oauth2/v1/par keeps for /authorize: the request, never the client's credentials", () => {
  it("keeps no client_secret of a client_secret_post client (its value nowhere in the org's pushed requests)", async () => {
    const { ctx, push } = org();
    const app = createSignInApp(ctx, { type: 'web', redirectUris: [REDIRECT], tokenEndpointAuthMethod: 'client_secret_post' });
    const secret = app.clientSecret ?? '';
    expect(secret).not.toBe('');
    const reply = await push({ ...request(app.clientId), client_secret: secret });
    expect(reply.status).toBe(201);
    expect(storedNames(ctx)).toEqual(AUTHORIZE_NAMES);
    expect(JSON.stringify([...ctx.store.pushedRequests.values()])).not.toContain(secret);
  });

  it('keeps neither client_assertion nor client_assertion_type of a private_key_jwt client', async () => {
    const { ctx, push } = org();
    const app = createSignInApp(ctx, { type: 'web', redirectUris: [REDIRECT], tokenEndpointAuthMethod: 'private_key_jwt' }) as unknown as ServiceAppCredentials;
    const assertion = await clientAssertion({ url: ctx.url } as OktaEmulator, app, { aud: `${ctx.url}/oauth2/v1/par` });
    const reply = await push({ ...request(app.clientId), client_assertion_type: JWT_BEARER, client_assertion: assertion });
    expect(reply.status).toBe(201);
    expect(storedNames(ctx)).toEqual(AUTHORIZE_NAMES);
  });
});
