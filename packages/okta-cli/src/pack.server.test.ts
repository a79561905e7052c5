import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { installPacked } from '@org/okta-test-utils';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runCli, sandbox, type Sandbox } from './test-helpers/cli.js';

// What a user gets: the packed tarballs of the CLI and its workspace dependencies,
// installed with npm into an empty folder (third-party dependencies from the registry).
const packages = ['okta-auth-core', 'okta-ssws', 'okta-oauth', 'okta-emulator', 'okta-cli'];

let box: Sandbox;
let org: OktaEmulator | undefined;
let bin: string;

beforeAll(() => {
  requireBuiltCli();
  box = sandbox();
  installPacked(packages, box.cwd);
  bin = join(box.cwd, 'node_modules', '@org', 'okta-cli', 'dist', 'cli.js');
}, 240_000);

afterAll(async () => {
  await org?.close();
  box.remove();
});

describe('the packed CLI, installed with npm', () => {
  it('okta-auth doctor and okta-auth api work against the emulator, as the README shows', async () => {
    org = await startEmulator({ seed: { users: 12 } });
    const app = org.createServiceApp({ scopes: ['okta.users.read'] });
    writeFileSync(
      join(box.cwd, 'okta.yaml'),
      stringify({
        okta: {
          client: { orgUrl: org.url, token: org.createApiToken().token },
          profiles: { service: { orgUrl: org.url, clientId: app.clientId, keyId: app.keyId, privateKey: app.privateKeyPem, scopes: 'okta.users.read' } },
        },
      }),
    );
    // The bin link npm made, run the way a shell would.
    const shim = join(box.cwd, 'node_modules', '.bin', 'okta-auth');
    const version = await runCli(['--version'], { cwd: box.cwd, env: box.env, bin: shim });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const doctor = await runCli(['doctor'], { cwd: box.cwd, env: box.env, bin });
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.stdout).toMatch(/\[ok\]\s+API call GET \/api\/v1\/users\?limit=1/);
    const service = await runCli(['--profile', 'service', 'doctor'], { cwd: box.cwd, env: box.env, bin });
    expect(service.code, service.stdout).toBe(0);
    expect(service.stdout).toMatch(/\[ok\]\s+DPoP: the app requires it/);
    const api = await runCli(['--profile', 'service', 'api', 'GET', '/api/v1/users?limit=5', '--paginate', '--ndjson'], { cwd: box.cwd, env: box.env, bin });
    expect(api.code, api.stderr).toBe(0);
    expect(api.stdout.trimEnd().split('\n')).toHaveLength(13); // and the seeded super admin
  });
});
