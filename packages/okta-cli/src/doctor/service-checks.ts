import { createPrivateKey, type JsonWebKey as NodeJwk } from 'node:crypto';
import { isOktaAuthError, type OktaCredential } from '@org/okta-auth-core';
import { importPrivateKey, isOktaOAuthError, type TokenStore, type TokenStoreEntry } from '@org/okta-oauth';
import { readPrivateKey, scopesOf, type CliConfig } from '../config/load.js';
import { buildCredential, serviceDpopMode, type CliContext } from '../credential.js';
import { shown } from '../io.js';
import { inCliWords } from '../transport-flags.js';
import type { Finding } from './report.js';

/**
 * Describes the key without showing it: type, size or curve, and the `kid` used. The `kid` is
 * okta-oauth's own reading (`importPrivateKey`: the `keyId` through its one check of a key id, else
 * the JWK's `kid`), so a `keyId` it refuses (a PEM, a token pasted with `SSWS `) is never printed.
 */
async function describeKey(pem: string, config: CliConfig): Promise<Finding> {
  let text: string;
  try {
    const key = pem.trim().startsWith('{')
      ? createPrivateKey({ key: JSON.parse(pem) as NodeJwk, format: 'jwk' })
      : createPrivateKey(pem);
    const details = key.asymmetricKeyDetails;
    text = key.asymmetricKeyType === 'rsa' ? `RSA ${details?.modulusLength ?? '?'} bits` : `${(key.asymmetricKeyType ?? '?').toUpperCase()} ${details?.namedCurve ?? ''}`.trim();
  } catch {
    return { status: 'fail', title: 'Private key', detail: 'it is not a readable private key (PKCS#8 PEM or private JWK).', fix: "give the private key whose public key is registered with the app, as PKCS#8 PEM ('-----BEGIN PRIVATE KEY-----') or a private JWK" };
  }
  let kid: string | undefined;
  try {
    ({ keyId: kid } = await importPrivateKey(pem, { keyId: config.raw.keyId?.value.trim() }));
  } catch (error) {
    return { status: 'fail', title: `Private key: ${text}`, detail: isOktaAuthError(error) ? error.message : String(error) };
  }
  if (kid === undefined) {
    return { status: 'warn', title: `Private key: ${text}`, detail: 'no keyId (kid): Okta accepts that only while the app has exactly one public key.', fix: "set keyId to the key's KID shown under the app's Public keys" };
  }
  // A JWK's own kid is not checked as a keyId is: cleaned and cut as text from a file (a folder's okta.yaml is anyone's).
  return { status: 'ok', title: `Private key: ${text}, kid ${shown(kid)}${config.raw.keyId === undefined ? ' (from the JWK)' : ''}` };
}

/** What to do about requested scopes Okta did not grant, one finding whichever way Okta said so. */
function scopesFinding(requested: readonly string[], refused: readonly string[], granted: readonly string[]): Finding {
  return {
    status: 'fail',
    title: `Scopes: requested ${requested.join(' ')}`,
    detail: `not granted to the app: ${refused.join(' ') || '(each alone was accepted)'}${granted.length > 0 ? `; granted: ${granted.join(' ')}` : ''}`,
    fix: 'grant them in the Admin Console (Applications › the app › Okta API Scopes), or remove them from scopes',
  };
}

/**
 * A token store (okta-oauth's `tokenStore` option) that keeps entries in memory and the last one
 * written: the token answer's `scope`, what Okta granted. Okta grants the requested scopes the app
 * has and leaves the others out of the token, so a token request that succeeds may lack some.
 */
function grantRecorder(): { readonly store: TokenStore; readonly last: () => TokenStoreEntry | undefined } {
  const entries = new Map<string, TokenStoreEntry>();
  let last: TokenStoreEntry | undefined;
  const store: TokenStore = {
    get: (key) => Promise.resolve(entries.get(key)),
    set: (key, entry) => {
      entries.set(key, entry);
      last = entry;
      return Promise.resolve();
    },
    delete: (key) => Promise.resolve(void entries.delete(key)),
  };
  return { store, last: () => last };
}

/**
 * Asks for each scope alone, to tell which of the requested ones the app was not granted: one
 * Okta does not have (`invalid_scope`) or one not granted to the app (`consent_required`).
 */
async function splitScopes(config: CliConfig, ctx: CliContext, scopes: readonly string[]): Promise<{ granted: string[]; refused: string[] }> {
  const granted: string[] = [];
  const refused: string[] = [];
  for (const scope of scopes.slice(0, 20)) {
    const single: CliConfig = { ...config, raw: { ...config.raw, scopes: { value: scope, source: 'doctor' } } };
    try {
      const credential = await buildCredential(single, ctx, { dpop: 'auto' });
      // The credential's own origin (parseOrgUrl's), the one reading of orgUrl.
      await credential.authorize({ method: 'GET', url: new URL('/api/v1/users', credential.origin) });
      granted.push(scope);
    } catch (error) {
      if (isOktaOAuthError(error) && (error.error === 'invalid_scope' || error.error === 'consent_required')) refused.push(scope);
      else throw error;
    }
  }
  return { granted, refused };
}

/** Key, token request, scopes and DPoP of a service app (`PrivateKey`) or an OIN app (`ClientSecret`). */
export async function checkClientCredentials(config: CliConfig, ctx: CliContext, add: (f: Finding) => Promise<void>): Promise<OktaCredential | undefined> {
  const service = config.mode === 'PrivateKey';
  // The kid sent is the JWK's own: describeKey found one (ok) with no keyId set.
  let ownKid = false;
  if (service) {
    let pem: string;
    try {
      pem = readPrivateKey(config, ctx.cwd);
    } catch (error) {
      await add({ status: 'fail', title: 'Private key', detail: (error as Error).message });
      return undefined;
    }
    const key = await describeKey(pem, config);
    await add(key);
    ownKid = key.status === 'ok' && config.raw.keyId === undefined;
    if (key.status === 'fail') {
      // The credential is built from the same key and is refused for the same cause: one finding. Not for
      // another of its settings (a missing clientId, read first), whose refusal is a problem of its own.
      await buildCredential(config, ctx, { dpop: 'auto' }).catch(async (error: unknown) => {
        const sameKey = (isOktaOAuthError(error) && error.code === 'INVALID_KEY') || (error as Error).message === key.detail;
        if (!sameKey) await add({ status: 'fail', title: 'Client settings', detail: (error as Error).message });
      });
      return undefined;
    }
  }
  let credential: OktaCredential;
  const recorder = grantRecorder();
  try {
    credential = await buildCredential(config, ctx, { ...(service && { dpop: 'auto' }), tokenStore: recorder.store });
  } catch (error) {
    await add({ status: 'fail', title: 'Client settings', detail: (error as Error).message });
    return undefined;
  }
  const scopes = scopesOf(config);
  let header: string;
  try {
    header = (await credential.authorize({ method: 'GET', url: new URL('/api/v1/users', credential.origin) })).authorization;
  } catch (error) {
    if (!isOktaOAuthError(error) || error.code !== 'TOKEN_REQUEST_FAILED') {
      await add({ status: 'fail', title: 'Token request', detail: isOktaAuthError(error) ? inCliWords(error) : String(error) });
      return undefined;
    }
    // An answer naming no OAuth error has no error_description (okta-oauth's failureFields): its message says what it was.
    const said = error.error === undefined ? error.message : `Okta answered ${error.error}${error.error_description === undefined ? '' : `: ${error.error_description}`}`;
    if (error.error === 'invalid_scope') {
      const { granted, refused } = await splitScopes(config, ctx, scopes);
      await add(scopesFinding(scopes, refused, granted));
    } else if (error.error === 'consent_required') {
      // Okta's no_org_scopes_granted, "You are not allowed any of the requested scopes.": none is the app's.
      await add(scopesFinding(scopes, scopes, []));
    } else if (error.error === 'invalid_client' && /kid/i.test(error.error_description ?? '')) {
      // A kid the key carries itself (a JWK's, no keyId set) names that key: no keyId to set, the key is not the app's.
      const fix = ownKid
        ? "this kid, the JWK's own, is not an active key of the app (deactivated, removed or never added): use the private key of one of its active public keys, or reactivate this one"
        : 'set keyId to the KID of the public key registered with the app';
      await add({ status: 'fail', title: 'Key id (kid)', detail: said, fix: `${fix} (Applications › the app › General › Public keys)` });
    } else if (error.error === 'invalid_client') {
      await add({
        status: 'fail',
        title: 'Client authentication',
        detail: said,
        fix: service ? 'check clientId, and that the public key of privateKey is registered with this app' : 'check clientId and clientSecret for this org',
      });
    } else {
      await add({ status: 'fail', title: 'Token request', detail: said });
    }
    return undefined;
  }
  // No scope in the answer: the requested ones, as RFC 6749 §5.1 reads its absence.
  const granted = recorder.last()?.scope?.split(' ').filter(Boolean) ?? scopes;
  const missing = scopes.filter((scope) => !granted.includes(scope));
  await add(
    missing.length > 0
      ? scopesFinding(scopes, missing, granted)
      : { status: 'ok', title: `Token request: ${scopes.join(' ')} granted`, detail: service ? 'client assertion (private_key_jwt) accepted' : 'client secret accepted' },
  );
  if (service) await add(dpopFinding(header.startsWith('DPoP '), serviceDpopMode(config)));
  return buildCredential(config, ctx);
}

/** Whether the app requires DPoP, against the profile's `dpop` setting. */
export function dpopFinding(bound: boolean, mode: 'auto' | 'required' | 'off'): Finding {
  if (bound && mode === 'off') {
    return { status: 'fail', title: 'DPoP: the app requires it', detail: 'the profile has dpop: off, so every token request will be refused (invalid_dpop_proof).', fix: 'set dpop: auto (the default)' };
  }
  if (!bound && mode === 'required') {
    return { status: 'fail', title: 'DPoP: the app does not require it', detail: 'Okta issued a Bearer token but the profile has dpop: required.', fix: "turn on \"Require DPoP header in token requests\" for the app, or set dpop: auto" };
  }
  return bound
    ? { status: 'ok', title: 'DPoP: the app requires it', detail: 'tokens are DPoP-bound; a new proof is signed for every request' }
    : { status: 'ok', title: 'DPoP: the app does not require it', detail: 'Okta issued a Bearer token' };
}
