import { timingSafeEqual } from 'node:crypto';
import { assertionAlg, assertionClientId, JWT_BEARER, verifyClientAssertion, verifySecretAssertion } from './client-assertion.js';
import type { OrgContext } from '../state/context.js';
import { servedApp } from '../state/app-lifecycle.js';
import { OAuthFailure } from '../http/errors.js';
import { header, type EmuRequest } from '../http/http-types.js';
import type { AppRecord, TokenEndpointAuthMethod } from '../state/model.js';

export type ClientAuthMethod = TokenEndpointAuthMethod;

export interface AuthenticatedClient {
  app: AppRecord;
  method: ClientAuthMethod;
}

const invalidClient = (description: string): OAuthFailure => new OAuthFailure(401, 'invalid_client', description);

function secretEquals(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The `Basic` credentials of a request. Without a colon the header names only a client id: Okta's
 * own browser SDK (okta-auth-js) sends `Basic base64(client_id)` for public clients at `/revoke`
 * and `/introspect`, and Okta accepts it.
 */
function basicCredentials(req: EmuRequest): { id: string; secret: string | undefined } | undefined {
  const auth = header(req, 'authorization');
  if (auth === undefined) return undefined;
  const m = /^Basic\s+(\S+)$/i.exec(auth.trim());
  if (m?.[1] === undefined) throw new OAuthFailure(400, 'invalid_request', 'The Authorization header is malformed.');
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return { id: decoded, secret: undefined };
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, i).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(i + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return { id: decoded.slice(0, i), secret: decoded.slice(i + 1) };
  }
}

/** Okta's answer to a client that authenticates another way than its app's method (catalogue `invalid_token_endpoint_auth_method`). */
const WRONG_METHOD = 'Client authentication failed. Either the client or the client credentials are invalid.';

/**
 * The app's one `token_endpoint_auth_method`, as Okta keeps it: a request that authenticates
 * another way is 401 `invalid_client`, checked before any secret or signature.
 */
function requireMethod(app: AppRecord, used: ClientAuthMethod): void {
  if (app.authMethod === used) return;
  if (app.kind === 'service') {
    throw invalidClient('Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.');
  }
  throw invalidClient(WRONG_METHOD);
}

function checkSecret(app: AppRecord, secret: string, method: ClientAuthMethod): AuthenticatedClient {
  requireMethod(app, method);
  // Any of the app's active secrets (two during a rotation); a deactivated one is gone from them.
  if (app.kind === 'service' || !app.secrets.some((active) => secretEquals(secret, active.value))) {
    throw invalidClient('The client secret supplied for a confidential client is invalid.');
  }
  return { app, method };
}

/**
 * Authenticate the client of a request to `endpoint` (token, revoke, introspect, device, PAR) by the
 * app's `token_endpoint_auth_method`: `private_key_jwt`, `client_secret_jwt`, `client_secret_basic`,
 * `client_secret_post`, or `none` for public clients. The client's id is kept on `req` for the request log
 * (a private_key_jwt request need not send `client_id`: RFC 7523 §3).
 */
export async function authenticateClient(ctx: OrgContext, req: EmuRequest, form: URLSearchParams, endpoint: string): Promise<AuthenticatedClient> {
  const client = await authenticate(ctx, req, form, endpoint);
  req.clientId = client.app.clientId;
  return client;
}

async function authenticate(ctx: OrgContext, req: EmuRequest, form: URLSearchParams, endpoint: string): Promise<AuthenticatedClient> {
  const basic = basicCredentials(req);
  const postSecret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  const assertionType = form.get('client_assertion_type');
  const formClientId = form.get('client_id');
  const sources = [basic !== undefined, postSecret !== null, assertion !== null].filter(Boolean).length;
  if (sources > 1) {
    throw new OAuthFailure(
      401,
      'invalid_request',
      'Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.',
    );
  }
  const lookup = (id: string | null | undefined): AppRecord => {
    // A deactivated app (`deactivateApp`, an uninstalled integration) is answered as an unknown one, whatever it sends.
    const app = servedApp(ctx, id);
    if (app === undefined) throw invalidClient("Invalid value for 'client_id' parameter.");
    return app;
  };

  if (assertion !== null || assertionType !== null) {
    if (assertionType !== JWT_BEARER) throw new OAuthFailure(400, 'invalid_request', 'The client_assertion_type is invalid.');
    if (assertion === null || assertion === '') throw new OAuthFailure(400, 'invalid_request', 'The client_assertion is missing.');
    // The client is the `client_id` parameter when sent, else the assertion's `sub` (RFC 7523); its
    // `iss` and `sub` are then checked against it.
    const app = lookup(formClientId ?? assertionClientId(assertion));
    // The header's alg tells the methods apart: HS* is keyed with the secret, RS*/ES* with a key. A
    // private_key_jwt app's key verifier refuses an HS* assertion itself (its algorithm is invalid).
    const hmac = assertionAlg(assertion)?.startsWith('HS') === true && app.authMethod !== 'private_key_jwt';
    const method = hmac ? 'client_secret_jwt' : 'private_key_jwt';
    requireMethod(app, method);
    if (method === 'client_secret_jwt') {
      if (app.kind === 'service' || app.secrets.length === 0) throw invalidClient(WRONG_METHOD);
      await verifySecretAssertion(ctx, { clientId: app.clientId, secrets: app.secrets.map((active) => active.value) }, assertion, endpoint);
    } else {
      if (app.kind === 'oin') throw invalidClient(WRONG_METHOD);
      await verifyClientAssertion(ctx, app, assertion, endpoint);
    }
    return { app, method };
  }
  if (basic !== undefined) {
    if (formClientId !== null && formClientId !== basic.id) throw invalidClient("The 'client_id' parameter doesn't match the Authorization header.");
    if (basic.secret === undefined) return publicClient(lookup(basic.id));
    return checkSecret(lookup(basic.id), basic.secret, 'client_secret_basic');
  }
  if (postSecret !== null) return checkSecret(lookup(formClientId), postSecret, 'client_secret_post');
  if (formClientId === null) throw invalidClient('No client credentials found.');
  return publicClient(lookup(formClientId));
}

/**
 * Whether a request carries a client's credentials (a secret in the `Basic` header or the body, or a
 * `client_assertion`), read as {@link authenticateClient} reads them but not checked: what a
 * browser may not send (FIDELITY BR2).
 */
export function carriesClientCredentials(req: EmuRequest, form: URLSearchParams): boolean {
  return form.has('client_secret') || form.has('client_assertion') || basicCredentials(req)?.secret !== undefined;
}

/** A client id alone authenticates only a public client (SPA or native). */
function publicClient(app: AppRecord): AuthenticatedClient {
  if (app.kind !== 'spa' && app.kind !== 'native') {
    throw invalidClient(app.kind === 'service' ? 'No client credentials found.' : WRONG_METHOD);
  }
  return { app, method: 'none' };
}
