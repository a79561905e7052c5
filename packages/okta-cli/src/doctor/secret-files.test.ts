import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { CliConfig } from '../config/load.js';
import { checkSecretFiles } from './secret-files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A profile whose token is in an okta.yaml of the given mode. */
function profileIn(mode: number): { config: CliConfig; cwd: string; yaml: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'okta-cli-secret-files-'));
  dirs.push(cwd);
  const yaml = join(cwd, 'okta.yaml');
  writeFileSync(yaml, 'okta:\n  client:\n    orgUrl: https://acme.okta.com\n    token: 00sentinel\n');
  chmodSync(yaml, mode); // whatever the umask
  const config: CliConfig = {
    profile: 'default',
    orgUrl: { value: 'https://acme.okta.com', source: yaml },
    mode: 'SSWS',
    modeSource: `token in ${yaml}`,
    raw: { orgUrl: { value: 'https://acme.okta.com', source: yaml }, token: { value: '00sentinel', source: yaml } },
    files: [yaml],
  };
  return { config, cwd, yaml };
}

it('warns of a token file others can read where modes say so, and not on Windows, whose modes are 0666 for every file', () => {
  const { config, cwd, yaml } = profileIn(0o644);
  expect(checkSecretFiles(config, cwd, 'linux')?.detail).toContain(`${yaml} (token) is mode 0644`);
  // Node.js on Windows reports 0666 (or 0444) whatever the ACLs say, and there is no chmod 600 to run.
  expect(checkSecretFiles(config, cwd, 'win32')).toBeUndefined();
  expect(checkSecretFiles(profileIn(0o600).config, cwd, 'linux')).toBeUndefined();
});
