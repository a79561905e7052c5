/**
 * An app's keys are bounded as at Okta: "RSA or EC keys, up to 50 per app" (okta-protocol.md, Keys).
 * Without the bound a loop of `addAppKey` (or of `POST /__emulator/apps/{clientId}/keys`) grew the
 * app's key list, and every client assertion's lookup, without end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOktaEmulatorError, startEmulator, type OktaEmulator } from '../index.js';

let org: OktaEmulator;
beforeAll(async () => {
  org = await startEmulator();
});
afterAll(() => org.close());

describe("an app's keys", () => {
  it('take up to 50 (the one created with the app included); the 51st is INVALID_OPTION until one is deactivated', async () => {
    const app = org.createServiceApp({ scopes: ['okta.users.read'], keyType: 'EC' });
    const added = Array.from({ length: 49 }, () => org.addAppKey(app.clientId, { keyType: 'EC' }).keyId);
    expect(new Set([app.keyId, ...added]).size).toBe(50);
    let refused: unknown;
    try {
      org.addAppKey(app.clientId, { keyType: 'EC' });
    } catch (error) {
      refused = error;
    }
    expect(isOktaEmulatorError(refused) && [refused.code, refused.option, refused.message]).toEqual([
      'INVALID_OPTION',
      'clientId',
      expect.stringMatching(/50 keys.*deactivateAppKey/),
    ]);
    const over = await fetch(`${org.url}/__emulator/apps/${app.clientId}/keys`, { method: 'POST', body: '{"keyType":"EC"}' });
    expect([over.status, ((await over.json()) as { code: string }).code]).toEqual([400, 'INVALID_OPTION']);
    org.deactivateAppKey(app.clientId, added[0] ?? '');
    expect(org.addAppKey(app.clientId, { keyType: 'EC' }).clientId).toBe(app.clientId);
  });
});
