import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from './index.js';

/**
 * A field that is no name (a token pasted as a key) is refused unquoted (`checkKnownFields`), but
 * still said: `option` and the message name it as such, so the caller knows which kind of field to
 * look for, in the JS API and the admin API (`option-fields.server.test.ts` checks it is never quoted).
 */
let org: OktaEmulator;
beforeAll(async () => {
  org = await startEmulator();
});
afterAll(async () => {
  await org.close();
});

const unquoted = '(a field not shaped like a name, not quoted)';
const key = `00${'x'.repeat(40)}`;

describe('a field not shaped like a name', () => {
  it('is named as such by the JS API: in option and the message', () => {
    expect(() => org.createApiToken({ name: 'token', [key]: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', option: unquoted, message: `createApiToken: ${unquoted} is not an option of createApiToken: use name, user.` }),
    );
  });

  it("is named as such by the admin API, under the fault's prefix", async () => {
    const res = await fetch(`${org.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ path: '/api/v1/users', kind: 'drop', [key]: 1 }) });
    expect({ status: res.status, body: await res.json() }).toMatchObject({ status: 400, body: { code: 'INVALID_OPTION', option: `fault.${unquoted}` } });
  });
});
