import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { emptyReply, jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { managementObject } from '../http/management-body.js';
import type { Router } from '../http/router.js';
import { activeKeys, inactiveOf, keyCount, metaOf, touch } from '../state/app-credentials.js';
import { MAX_APP_KEYS } from '../state/app-keys.js';
import type { OrgContext } from '../state/context.js';
import type { AppRecord } from '../state/model.js';
import { credentialApp, credentialFrame, credentialNotFound, listed, moveRecord, refused, removeRecord, statusField } from './app-credential-routes.js';

/*
 * The Apps API's public keys (`/api/v1/apps/{appId}/credentials/jwks`), on the records the admin controls
 * change (`addAppKey`, `deactivateAppKey`): RSA (2,048 bits or more) or EC signing keys, each with a
 * unique `kid`, at most 50 per app, active and inactive; a private key is refused. The only active key of a
 * `private_key_jwt` app cannot be deactivated, an active key cannot be deleted. Encryption keys (`use:
 * 'enc'`) are not emulated (FIDELITY K5–K8).
 *
 * @see https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationSSOPublicKeys/
 */

const RESOURCE = 'JsonWebKey';
/** The members that make a JWK private (RFC 7518 section 6) or symmetric (`k`): never kept, never quoted. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const ALGS: Record<string, readonly string[]> = { RSA: ['RS256', 'RS384', 'RS512'], 'P-256': ['ES256'], 'P-384': ['ES384'], 'P-521': ['ES512'] };
/** Bounds of what one key holds [I: Okta documents none]: the kid's length, an RSA modulus's size, its public exponent (below 2^64, as OpenSSL's for moduli over 3,072 bits). */
const MAX_KID_LENGTH = 255;
const MAX_RSA_BITS = 8192;
const MAX_RSA_EXPONENT = 2n ** 64n;

function keyJson(ctx: OrgContext, app: AppRecord, jwk: JWK, status: 'ACTIVE' | 'INACTIVE'): Record<string, unknown> {
  const id = metaOf(ctx, jwk).id;
  const frame = credentialFrame(ctx, jwk, status, `${ctx.url}/api/v1/apps/${app.clientId}/credentials/jwks/${id}`);
  const material = jwk.kty === 'EC' ? { crv: jwk.crv, x: jwk.x, y: jwk.y } : { e: jwk.e, n: jwk.n };
  return { id, kid: jwk.kid ?? null, kty: jwk.kty, alg: jwk.alg, use: jwk.use ?? 'sig', ...material, ...frame };
}

function findKey(ctx: OrgContext, app: AppRecord, id: string): { jwk: JWK; status: 'ACTIVE' | 'INACTIVE' } {
  for (const { record, status } of listed(activeKeys(app), inactiveOf(app).keys)) {
    if (metaOf(ctx, record).id === id) return { jwk: record, status };
  }
  throw credentialNotFound(ctx, id, 'JsonWebKey');
}

const text = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** The public JWK a create names, checked as Okta checks it, with only its public members kept. */
function publicKeyOf(app: AppRecord, body: Record<string, unknown>): JWK {
  const why = (cause: string): never => {
    throw refused(RESOURCE, cause);
  };
  if (PRIVATE_MEMBERS.some((name) => name in body)) why('The JSON Web Key must be a public key: remove its private members (d, p, q, dp, dq, qi), or give a public key.');
  const { kty, kid, alg, use } = body;
  if (kty !== 'RSA' && kty !== 'EC') return why("kty: 'kty' must be RSA or EC.");
  if (use !== undefined && use !== null && use !== 'sig') why("use: only signing keys ('sig') are emulated; the emulator has no ID token encryption.");
  const jwk: JWK = kty === 'RSA' ? { kty, n: body.n as string, e: body.e as string } : { kty, crv: body.crv as string, x: body.x as string, y: body.y as string };
  if (![...Object.values(jwk)].every(text)) why(kty === 'RSA' ? "An RSA key needs 'n' and 'e' (base64url strings)." : "An EC key needs 'crv', 'x' and 'y' (strings).");
  const family = kty === 'RSA' ? 'RSA' : String(jwk.crv);
  if (!Object.hasOwn(ALGS, family)) why("crv: 'crv' must be P-256, P-384 or P-521.");
  let key: KeyObject | undefined;
  try {
    key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch {
    why(`The JSON Web Key is not a valid ${kty} public key.`);
  }
  const { modulusLength: bits = 0, publicExponent: e } = key?.asymmetricKeyDetails ?? {};
  if (kty === 'RSA' && bits < 2048) why("RSA key length in the 'jwks' is less than '2,048' bits for the given key.");
  if (bits > MAX_RSA_BITS) why(`RSA key length in the 'jwks' is more than '${String(MAX_RSA_BITS)}' bits, the most the emulator takes.`);
  // Node.js reads base64url leniently (other characters skipped, leading zero octets taken): only the exact encoding is kept and echoed.
  const exact = key?.export({ format: 'jwk' }) as Record<string, unknown> | undefined;
  for (const member of kty === 'RSA' ? ['n', 'e'] : ['x', 'y']) {
    if (exact?.[member] !== (jwk as Record<string, unknown>)[member]) why(`${member}: '${member}' must be base64url (letters, digits, '-' and '_', no padding) in RFC 7518's octets: ${kty === 'RSA' ? 'no leading zero octet' : "the curve's full coordinate size"}.`);
  }
  if (e !== undefined && (e < 3n || e % 2n === 0n || e >= MAX_RSA_EXPONENT)) why("e: 'e' must be an odd exponent from 3 to 2^64 - 1 (as a rule 65537, 'AQAB').");
  if (alg !== undefined && alg !== null && !(typeof alg === 'string' && (ALGS[family] ?? []).includes(alg))) why(`alg: 'alg' must be one of ${(ALGS[family] ?? []).join(', ')} for this key.`);
  if (kid !== undefined && kid !== null && !(text(kid) && kid.length <= MAX_KID_LENGTH)) why(`kid: 'kid' must be a string of 1 to ${String(MAX_KID_LENGTH)} characters.`);
  const held = listed(activeKeys(app), inactiveOf(app).keys).map(({ record }) => record);
  if (held.length > 0 && (!text(kid) || held.some((k) => k.kid === undefined))) {
    why('Each key should have a unique kid when adding multiple keys. Use the Apps API to update the JWKS to add a kid for the existing key, or delete the existing key and re-add the key with a kid using the JWKS APIs.');
  }
  if (held.some((k) => k.kid === kid)) why("All keys in the 'jwks' must have a unique `kid`.");
  return { ...jwk, ...(text(kid) ? { kid } : {}), ...(typeof alg === 'string' ? { alg } : {}), use: 'sig' };
}

async function listKeys(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const app = await credentialApp(ctx, req, 'read');
  return jsonReply(200, listed(activeKeys(app), inactiveOf(app).keys).map(({ record, status }) => keyJson(ctx, app, record, status)));
}

async function addKey(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const app = await credentialApp(ctx, req, 'manage');
  const body = managementObject(req);
  if (app.kind === 'oin') throw refused(RESOURCE, "An OIN app authenticates with a client secret: it takes no JSON Web Keys.");
  if (keyCount(app) >= MAX_APP_KEYS) {
    throw refused(RESOURCE, `You can't create a new key. You have reached the maximum number of keys allowed (${String(MAX_APP_KEYS)}). To add another key, you must first delete an existing one.`);
  }
  const status = statusField(body, RESOURCE);
  const jwk = publicKeyOf(app, body);
  (status === 'ACTIVE' ? app.keys : inactiveOf(app).keys).push(jwk);
  touch(ctx, jwk);
  return jsonReply(201, keyJson(ctx, app, jwk, status));
}

async function getKey(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const app = await credentialApp(ctx, req, 'read');
  const { jwk, status } = findKey(ctx, app, req.params.keyId ?? '');
  return jsonReply(200, keyJson(ctx, app, jwk, status));
}

async function deleteKey(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const app = await credentialApp(ctx, req, 'manage');
  const { jwk, status } = findKey(ctx, app, req.params.keyId ?? '');
  if (status === 'ACTIVE') throw refused(RESOURCE, "You can't delete an active JSON Web Key. Deactivate the key before deleting it.");
  removeRecord(inactiveOf(app).keys, jwk);
  return emptyReply(204);
}

async function setKeyStatus(ctx: OrgContext, req: EmuRequest, to: 'ACTIVE' | 'INACTIVE'): Promise<Reply> {
  const app = await credentialApp(ctx, req, 'manage');
  const { jwk, status } = findKey(ctx, app, req.params.keyId ?? '');
  if (status !== to && app.kind !== 'oin') {
    if (to === 'INACTIVE' && app.authMethod === 'private_key_jwt' && app.keys.length === 1) {
      throw refused(RESOURCE, "Can't deactivate the only active JSON Web Key when the value for `token_endpoint_auth_method` is `private_key_jwt`.");
    }
    const [from, into] = to === 'ACTIVE' ? [inactiveOf(app).keys, app.keys] : [app.keys, inactiveOf(app).keys];
    moveRecord(from, into, jwk);
    touch(ctx, jwk);
  }
  return jsonReply(200, keyJson(ctx, app, jwk, to));
}

export function registerAppJwkRoutes(router: Router, ctx: OrgContext): void {
  const base = '/api/v1/apps/:id/credentials/jwks';
  router
    .add('GET', base, (req) => listKeys(ctx, req))
    .add('POST', base, (req) => addKey(ctx, req))
    .add('GET', `${base}/:keyId`, (req) => getKey(ctx, req))
    .add('DELETE', `${base}/:keyId`, (req) => deleteKey(ctx, req))
    .add('POST', `${base}/:keyId/lifecycle/activate`, (req) => setKeyStatus(ctx, req, 'ACTIVE'))
    .add('POST', `${base}/:keyId/lifecycle/deactivate`, (req) => setKeyStatus(ctx, req, 'INACTIVE'));
}
