/**
 * The process's key-pair pool (`key-pair.ts`) under real emulators: once the process has made an
 * RSA pair, a started org's first sign-in signs with a pair made beforehand off the event loop (seen in the pool's counts, not in time), no
 * key is shared between orgs, apps or rotations, and a closed emulator leaves nothing that keeps
 * Node.js running (a child process that starts and closes one exits by itself).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { until } from '@org/okta-test-utils';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { REDIRECT, userTokens } from '../test-helpers/user-tokens.js';
import { keyPairPool } from './key-pair.js';

async function started(): Promise<OktaEmulator> {
  const org = await startEmulator();
  onTestFinished(() => org.close());
  return org;
}

/** The org's published signing keys' moduli. */
async function signingModuli(org: OktaEmulator): Promise<string[]> {
  const res = await fetch(`${org.url}/oauth2/v1/keys`);
  const { keys } = (await res.json()) as { keys: { n: string }[] };
  return keys.map((k) => k.n);
}

describe('the key-pair pool of startEmulator', () => {
  it("has an org's first signing key ready before its first sign-in once the process made an RSA pair: the sign-in takes a pooled pair, none made synchronously", async () => {
    // A process that never took an RSA pair makes none ahead (a test of API tokens only pays nothing).
    const quiet = await started();
    expect(keyPairPool.making('RSA')).toBe(false);
    expect(keyPairPool.ready('RSA')).toBe(0);
    await quiet.close();
    keyPairPool.take('RSA');
    const org = await started();
    org.createUser({ login: 'ada@example.com', password: 'Correct-Horse1', firstName: 'Ada', lastName: 'Lovelace' });
    const spa = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    await until(() => keyPairPool.ready('RSA') >= 1, 'a ready RSA pair in the pool');
    const before = structuredClone(keyPairPool.counts);
    const tokens = await userTokens(org, spa.clientId, 'ada@example.com', 'Correct-Horse1', 'openid');
    expect(tokens.id_token).toEqual(expect.any(String));
    expect(keyPairPool.counts.pooled.RSA).toBe(before.pooled.RSA + 1);
    expect(keyPairPool.counts.made.RSA).toBe(before.made.RSA);
    // The taken pair is replaced, off the event loop.
    await until(() => keyPairPool.ready('RSA') >= 1, 'the replacement RSA pair');
  });

  it('never gives one key to two orgs, two apps or a rotation, pooled or made synchronously', async () => {
    const orgs = [await started(), await started()];
    keyPairPool.take('EC');
    await until(() => keyPairPool.ready('RSA') >= 2 && keyPairPool.ready('EC') >= 2, 'two ready pairs of each type');
    const before = structuredClone(keyPairPool.counts);
    const moduli: string[] = [];
    const ecPoints: string[] = [];
    for (const org of orgs) {
      moduli.push(...(await signingModuli(org)));
      org.rotateSigningKey();
      // Newest first: the rotation's key, then the first one again.
      const [rotated, first] = await signingModuli(org);
      expect(first).toBe(moduli.at(-1));
      moduli.push(rotated ?? '');
      for (const keyType of ['RSA', 'EC'] as const) {
        const app = org.createServiceApp({ scopes: ['okta.users.read'], keyType });
        const jwk = app.publicJwk as { n?: string; x?: string; y?: string };
        if (keyType === 'RSA') moduli.push(jwk.n ?? '');
        else ecPoints.push(`${jwk.x ?? ''}.${jwk.y ?? ''}`);
        const added = org.addAppKey(app.clientId, { keyType });
        const more = added.publicJwk as { n?: string; x?: string; y?: string };
        if (keyType === 'RSA') moduli.push(more.n ?? '');
        else ecPoints.push(`${more.x ?? ''}.${more.y ?? ''}`);
      }
    }
    expect(moduli.every((n) => n.length > 300)).toBe(true);
    expect(new Set(moduli).size).toBe(moduli.length);
    expect(new Set(ecPoints).size).toBe(ecPoints.length);
    // The first pairs of each type came from the pool (the rest from it or, emptied faster than it refills, made at once).
    expect(keyPairPool.counts.pooled.RSA - before.pooled.RSA).toBeGreaterThanOrEqual(2);
    expect(keyPairPool.counts.pooled.EC - before.pooled.EC).toBeGreaterThanOrEqual(2);
  });

  it('starts no job once its last emulator is closed', async () => {
    const org = await startEmulator();
    await until(() => !keyPairPool.making('RSA') && !keyPairPool.making('EC'), 'no job in flight');
    await org.close();
    await until(() => !keyPairPool.making('RSA') && !keyPairPool.making('EC'), 'no job in flight after close');
    const jobs = keyPairPool.counts.jobs;
    for (let i = 0; i < 3; i++) keyPairPool.take('RSA');
    expect(keyPairPool.making('RSA')).toBe(false);
    expect(keyPairPool.counts.jobs).toBe(jobs);
  });
});

describe('a process that starts and closes an emulator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'okta-emulator-key-pool-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits by itself, with the refill begun by a first take still in flight at close', async () => {
    // The emulator as a program runs it: bundled from source (jose included), in a Node.js of its own.
    await build({
      stdin: {
        contents: [
          `import { startEmulator } from './src/index.ts';`,
          `import { keyPairPool } from './src/state/key-pair.ts';`,
          `const org = await startEmulator();`,
          `keyPairPool.take('RSA');`,
          `const inFlight = keyPairPool.making('RSA');`,
          `await org.close();`,
          `process.on('exit', () => console.log(JSON.stringify({ inFlight, jobs: keyPairPool.counts.jobs })));`,
        ].join('\n'),
        resolveDir: join(import.meta.dirname, '..', '..'),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: join(dir, 'start-close.mjs'),
      logLevel: 'silent',
    });
    const child = spawn(process.execPath, [join(dir, 'start-close.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    // One job (the RSA pair's replacement) was under way at close and none started after: the process waited for no more.
    expect(JSON.parse(out)).toEqual({ inFlight: true, jobs: 1 });
  });
});
