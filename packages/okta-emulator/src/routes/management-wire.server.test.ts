/**
 * The management API's answers to what a client gets wrong on the wire (FIDELITY.md E1–E4): a body
 * of another media type, a login another user has up to case and diacritical marks, a login over
 * 100 characters, a method the path does not take, a password under 8 characters (E7).
 */
import { describe, expect, it } from 'vitest';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { ssws } from '../test-helpers/http.js';

describe('management API wire rules', () => {
  const env = useApiTokenOrg();
  const profile = (login: string) => ({ profile: { login, email: 'wire@example.com', firstName: 'Wi', lastName: 'Re' } });
  const create = (body: unknown, contentType = 'application/json') =>
    fetch(`${env.org.url}/api/v1/users?activate=false`, { method: 'POST', headers: { ...ssws(env.token), 'Content-Type': contentType }, body: JSON.stringify(body) });

  it('refuses a request whose Content-Type is not JSON with 400 E0000021, nothing stored, and takes JSON with parameters', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain;charset=UTF-8', 'application/jsonx', 'multipart/form-data; boundary=x']) {
      const res = await create(profile('typed@example.com'), type);
      expect([type, res.status]).toEqual([type, 400]);
      expect(await res.json()).toMatchObject({
        errorCode: 'E0000021',
        errorSummary: 'Bad request.  Accept and/or Content-Type headers likely do not match supported values.',
        errorLink: 'E0000021',
        errorCauses: [],
      });
    }
    // A read carrying a form Content-Type (a client's token request leaking into its API calls) is refused too.
    const list = await fetch(`${env.org.url}/api/v1/users`, { headers: { ...ssws(env.token), 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(list.status).toBe(400);
    expect((await list.json()).errorCode).toBe('E0000021');
    expect((await fetch(`${env.org.url}/api/v1/users/typed@example.com`, { headers: ssws(env.token) })).status).toBe(404);

    const ok = await create(profile('typed@example.com'), 'Application/JSON; charset=UTF-8');
    expect(ok.status).toBe(200);
    // Without a Content-Type a read is served as before.
    expect((await fetch(`${env.org.url}/api/v1/users`, { headers: ssws(env.token) })).status).toBe(200);
  });

  it('refuses a login that differs from another user\'s only in case or diacritical marks, and takes one that differs otherwise', async () => {
    expect((await create(profile('Isaac.Brock@example.com'))).status).toBe(200);
    for (const login of ['isaac.brock@example.com', 'isáàc.bröck@example.com', 'ISA\u0301AC.BROCK@example.com']) {
      const res = await create(profile(login));
      expect([login, res.status]).toEqual([login, 400]);
      expect(await res.json()).toMatchObject({
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: login',
        errorCauses: [{ errorSummary: 'login: An object with this field already exists in the current organization' }],
      });
    }
    expect(() => env.org.createUser({ login: 'ISAAC.BRÖCK@example.com', password: 'Pw-Isaac-1' })).toThrow(/already exists/);
    expect((await create(profile('isaac.brock2@example.com'))).status).toBe(200);
    // Signing in and reading by login stay exact up to case: the accented login names no one.
    expect((await fetch(`${env.org.url}/api/v1/users/${encodeURIComponent('isáàc.bröck@example.com')}`, { headers: ssws(env.token) })).status).toBe(404);
  });

  it('refuses a login over 100 characters with 400 E0000001, and takes one of 100', async () => {
    const at = '@example.com';
    const long = await create(profile(`${'l'.repeat(101 - at.length)}${at}`));
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({
      errorCode: 'E0000001',
      errorSummary: 'Api validation failed: login',
      errorCauses: [{ errorSummary: 'login: The field cannot exceed 100 characters' }],
    });
    const user = (await (await create(profile(`${'l'.repeat(100 - at.length)}${at}`))).json()) as { id: string };
    expect(user.id).toMatch(/^00u/);
    const update = await fetch(`${env.org.url}/api/v1/users/${user.id}`, {
      method: 'POST',
      headers: { ...ssws(env.token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ profile: { login: `${'m'.repeat(2000)}${at}` } }),
    });
    expect(update.status).toBe(400);
  });

  it('refuses a password under 8 characters with 400 E0000001 and the LENGTH_MINIMUM cause, at create and update, never echoing it', async () => {
    const cause = {
      errorSummary: 'password: Passwords must be at least 8 characters in length',
      reason: 'LENGTH_MINIMUM',
      location: 'credentials.password.value',
      locationType: 'body',
      domain: 'user',
    };
    const short = await create({ ...profile('pw.short@example.com'), credentials: { password: { value: 'Pa55wrd' } } });
    expect(short.status).toBe(400);
    const text = await short.text();
    expect(JSON.parse(text)).toMatchObject({ errorCode: 'E0000001', errorSummary: 'Api validation failed: password', errorCauses: [cause] });
    expect(text).not.toContain('Pa55wrd');
    const list = (await (await fetch(`${env.org.url}/api/v1/users?search=${encodeURIComponent('profile.login eq "pw.short@example.com"')}`, { headers: ssws(env.token) })).json()) as unknown[];
    expect(list).toEqual([]);
    const user = (await (await create({ ...profile('pw.ok@example.com'), credentials: { password: { value: 'Pa55word' } } })).json()) as { id: string };
    expect(user.id).toMatch(/^00u/);
    const update = await fetch(`${env.org.url}/api/v1/users/${user.id}`, { method: 'POST', headers: { ...ssws(env.token), 'Content-Type': 'application/json' }, body: JSON.stringify({ credentials: { password: { value: 'short' } } }) });
    expect([update.status, (await update.json()).errorCauses]).toEqual([400, [cause]]);
  });

  it('compares logins up to case without context (a final sigma) and strips only diacritical marks, not the vowel signs of other scripts', async () => {
    // Two logins that differ only in case: JavaScript lowercases a word-final Σ to ς, so a string compare missed it.
    expect((await create(profile('ΟΔΟΣ@example.com'))).status).toBe(200);
    const sigma = await create(profile('οδοσ@example.com'));
    expect(sigma.status).toBe(400);
    expect((await sigma.json()).errorCauses).toEqual([{ errorSummary: 'login: An object with this field already exists in the current organization' }]);
    expect(() => env.org.createUser({ login: 'Οδοσ@example.com', password: 'Pw-Sigma-1' })).toThrow(/already exists/);
    // कि (ki) and का (kaa) are other syllables, not one with a diacritical mark: Devanagari vowel signs are combining marks (Mc).
    expect((await create(profile('कि@example.com'))).status).toBe(200);
    expect((await create(profile('का@example.com'))).status).toBe(200);
    expect(env.org.createUser({ login: 'की@example.com', password: 'Pw-Kii-1' }).login).toBe('की@example.com');
  });

  it('counts a login in characters (code points), as OAS maxLength does, not UTF-16 code units', async () => {
    const at = '@example.com';
    // U+1D4B6 is one character, two UTF-16 code units: 100 characters, 188 code units.
    const hundred = `${'\u{1d4b6}'.repeat(100 - at.length)}${at}`;
    expect((await create(profile(hundred))).status).toBe(200);
    const over = await create(profile(`x${hundred}`));
    expect(over.status).toBe(400);
    expect((await over.json()).errorCauses).toEqual([{ errorSummary: 'login: The field cannot exceed 100 characters' }]);
  });

  it('answers a method the path does not take with 405 E0000022 and Allow, before any credential is read, without WWW-Authenticate', async () => {
    for (const headers of [{}, { Authorization: 'SSWS wrong' }, { Authorization: 'Bearer wrong' }, ssws(env.token)]) {
      const res = await fetch(`${env.org.url}/api/v1/users`, { method: 'DELETE', headers });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, POST');
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect((await res.json()).errorCode).toBe('E0000022');
    }
  });
});
