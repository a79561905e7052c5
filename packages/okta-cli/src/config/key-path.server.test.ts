import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorAndSandboxes, runCli } from '../test-helpers/cli.js';

/**
 * Where a `privateKey` path leads: relative to the okta.yaml that names it, allowed outside a
 * folder's okta.yaml with a doctor warning, and read only when it is a regular file of at most 64 KiB.
 */
const env = emulatorAndSandboxes();
const run = (args: string[], extra: Record<string, string> = {}) => runCli(args, { cwd: env.box.cwd, env: { ...env.box.env, ...extra }, timeoutMs: 20_000 });
const serviceApp = () => {
  const app = env.org.createServiceApp({ scopes: ['okta.users.read'] });
  return { app, profile: { orgUrl: env.org.url, clientId: app.clientId, keyId: app.keyId, scopes: 'okta.users.read' } };
};

describe('a privateKey path', () => {
  it("relative in ~/.okta/okta.yaml is that folder's file, not one the working directory holds", async () => {
    const { app, profile } = serviceApp();
    env.box.writeYaml('home', { client: { ...profile, privateKey: 'key.pem' } });
    writeFileSync(join(env.box.home, '.okta', 'key.pem'), app.privateKeyPem, { mode: 0o600 });
    // A cloned repository's file of the same name: never the person's key.
    writeFileSync(join(env.box.cwd, 'key.pem'), 'not a key', { mode: 0o600 });
    const result = await run(['api', 'GET', '/api/v1/users?limit=1']);
    expect(result.code, result.stderr).toBe(0);
  });

  it("outside a folder's okta.yaml (../, absolute, ~/): allowed, and doctor names it; inside or in ~/.okta/okta.yaml: no warning", async () => {
    const { app, profile } = serviceApp();
    const outside = join(env.box.dir, 'keys');
    mkdirSync(join(outside), { recursive: true });
    mkdirSync(join(env.box.cwd, 'keys'));
    for (const folder of [outside, join(env.box.cwd, 'keys')]) writeFileSync(join(folder, 'app.pem'), app.privateKeyPem, { mode: 0o600 });
    env.box.writeYaml('cwd', {
      profiles: { up: { ...profile, privateKey: '../keys/app.pem' }, absolute: { ...profile, privateKey: join(outside, 'app.pem') }, inside: { ...profile, privateKey: 'keys/app.pem' } },
    });
    for (const name of ['up', 'absolute']) {
      const result = await run(['--profile', name, 'doctor']);
      expect(result.stdout).toContain(
        `[warn] Private key outside the project\n       ${join(env.box.cwd, 'okta.yaml')} names a key file outside its folder, ${join(outside, 'app.pem')}: okta-auth signs client assertions with it for the org that file names.`,
      );
      expect(result.code, result.stdout).toBe(0);
      expect((await run(['--profile', name, 'api', 'GET', '/api/v1/users?limit=1'])).code).toBe(0);
    }
    expect((await run(['--profile', 'inside', 'doctor'])).stdout).not.toContain('outside');
    env.box.writeYaml('home', { client: { ...profile, privateKey: join(outside, 'app.pem') } });
    expect((await run(['doctor'], { OKTA_AUTH_PROFILE: 'default' })).stdout).not.toContain('outside');
  });

  it('a link to a key file is read; a link to /dev/tty, a folder or a file past 64 KiB is refused (exit 3), never read', async () => {
    const { app, profile } = serviceApp();
    const real = join(env.box.dir, 'real.pem');
    writeFileSync(real, app.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(env.box.cwd, 'huge.pem'), `${app.privateKeyPem}${'#'.repeat(1024 * 1024)}`, { mode: 0o600 });
    mkdirSync(join(env.box.cwd, 'folder.pem'));
    for (const [name, target] of [['link.pem', real], ['tty.pem', '/dev/tty']] as const) symlinkSync(target, join(env.box.cwd, name));
    const key = (privateKey: string) => run(['api', 'GET', '/api/v1/users?limit=1'], { OKTA_CLIENT_ORGURL: env.org.url, OKTA_CLIENT_CLIENTID: profile.clientId, OKTA_CLIENT_KEYID: profile.keyId, OKTA_CLIENT_SCOPES: profile.scopes, OKTA_CLIENT_PRIVATEKEY: privateKey });
    expect((await key('link.pem')).code).toBe(0);
    const tty = await key('tty.pem');
    // Without a controlling terminal (CI) /dev/tty does not open (ENXIO); on one it is a device.
    expect(tty.stderr).toMatch(/tty\.pem \(privateKey in \$OKTA_CLIENT_PRIVATEKEY\) (is not a regular file|cannot be read \(ENXIO\))/);
    expect(tty.code).toBe(3);
    const folder = await key('folder.pem');
    expect(folder.stderr).toContain('folder.pem (privateKey in $OKTA_CLIENT_PRIVATEKEY) is not a regular file: point it at a file.');
    expect(folder.code).toBe(3);
    const huge = await key('huge.pem');
    expect(huge.stderr).toContain('huge.pem (privateKey in $OKTA_CLIENT_PRIVATEKEY) is larger than 64 KiB: is it the right file?');
    expect(huge.code).toBe(3);
  });
});
