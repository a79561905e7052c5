/**
 * A CommonJS project: the packages are ESM only, and `require()` loads them on Node.js ≥ 20.19
 * (require(esm), no top-level await in any of them). The packed tarballs, installed with npm into an
 * empty project, run an API token and a service app against the emulator from a `.cjs` file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installPacked } from '@org/okta-test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'okta-commonjs-'));
  installPacked(['okta-auth-core', 'okta-ssws', 'okta-oauth', 'okta-emulator', 'okta-token-store-redis'], dir);
}, 240_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const app = `'use strict';
const { startEmulator } = require('@org/okta-emulator');
const { createOktaFetch, isOktaAuthError } = require('@org/okta-auth-core');
const { createSswsCredential } = require('@org/okta-ssws');
const { createServiceAppCredential } = require('@org/okta-oauth');
const { createRedisTokenStorage } = require('@org/okta-token-store-redis');

async function main() {
  const org = await startEmulator({ seed: { users: 2 } });
  try {
    const sswsFetch = createOktaFetch({ credential: createSswsCredential({ orgUrl: org.url, token: org.createApiToken().token, allowInsecureLoopback: true }) });
    const viaToken = await (await sswsFetch('/api/v1/users')).json();
    const service = org.createServiceApp({ scopes: ['okta.users.read'] });
    const credential = createServiceAppCredential({ orgUrl: org.url, clientId: service.clientId, keyId: service.keyId, privateKey: service.privateKeyPem, scopes: ['okta.users.read'], allowInsecureLoopback: true });
    const viaService = await (await createOktaFetch({ credential })('/api/v1/users')).json();
    const refused = await sswsFetch('https://evil.example/api/v1/users').catch((error) => isOktaAuthError(error) && error.code);
    console.log(['users', viaToken.length, viaService.length, refused, typeof createRedisTokenStorage].join(' '));
  } finally {
    await org.close();
  }
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

describe('a CommonJS project', () => {
  it('requires every library package and calls Okta with an API token and a service app', () => {
    writeFileSync(join(dir, 'app.cjs'), app);
    const out = execFileSync(process.execPath, ['app.cjs'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    // Two seeded users and the org's seeded super admin (emuadmin147).
    expect(out.trim()).toBe('users 3 3 ORIGIN_MISMATCH function');
  });
});
