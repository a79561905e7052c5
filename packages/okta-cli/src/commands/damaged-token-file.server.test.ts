/**
 * A token file okta-auth cannot read (cut short, not JSON, or its tokens in a newer okta-auth's
 * format) is not "never signed in": `api` and `doctor` name the file, say why it cannot be used
 * and what to do (`okta-auth login --profile X` replaces it, or delete it), exit 4 and 6, and the
 * file stays as it is. Before, both said "Not signed in to …", as for no file at all. A JSON file
 * whose entry for the profile is damaged or a newer okta-auth's names the entry (before: "is not
 * JSON"), and does not say to delete the file (its other entries).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { emulatorAndSandboxes, runCli } from '../test-helpers/cli.js';

const setup = emulatorAndSandboxes();

const run = 'run okta-auth login --profile work to replace it';
it.each([
  ['cut short', () => '{"okta-auth:', `is not JSON (damaged or cut short): ${run}, or delete it.`],
  ['not JSON', () => 'tokens\n', `is not JSON (damaged or cut short): ${run}, or delete it.`],
  // A JSON file whose entry for the profile cannot be read: the entry is named, not the file (its other entries stay).
  ['whose entry is cut short', (key: string) => JSON.stringify({ [key]: '{"version":1,"acc', other: 'kept' }), `holds a damaged entry for profile work: ${run}.`],
  ['whose entry is no string', (key: string) => JSON.stringify({ [key]: 42 }), `holds a damaged entry for profile work: ${run}.`],
  ['whose entry is in a newer format', (key: string) => JSON.stringify({ [key]: JSON.stringify({ version: 2, accessToken: 'x' }) }), `holds an entry for profile work in a newer okta-auth’s format (version 2): ${run}.`],
])('a token file %s: api and doctor name it and say what to do; the file stays', async (_, text, why) => {
  const { org, box } = setup;
  const clientId = org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1:9/cb'], scopes: ['okta.users.read'] }).clientId;
  box.writeYaml('cwd', { profiles: { work: { orgUrl: org.url, authorizationMode: 'User', clientId } } });
  const path = join(box.xdg, 'okta-auth', 'tokens', 'work.json');
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  const written = text(`okta-auth:${org.url}:${clientId}:tokens`);
  writeFileSync(path, written, { mode: 0o600 });
  const said = `${path} (the signed-in tokens of ${org.url}) ${why}`;
  const api = await runCli(['--profile', 'work', 'api', 'GET', '/api/v1/users'], { cwd: box.cwd, env: box.env });
  expect(api.stderr).toBe(`okta-auth: ${said}\n`);
  expect(api.code).toBe(4);
  const doctor = await runCli(['--profile', 'work', 'doctor'], { cwd: box.cwd, env: box.env });
  expect(doctor.stdout).toContain(`[FAIL] Signed-in user\n       ${said}\n`);
  expect(doctor.code).toBe(6);
  expect(readFileSync(path, 'utf8')).toBe(written);
});
