import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Bundles `src/cli.ts` (or another entry, such as `../web/main.ts`) from the sources (the `@org/source` condition, as vitest resolves the
 * packages), so the tests run the command as a child process without a prior build.
 */
export async function bundleCli(entry = '../cli.ts'): Promise<{ file: string; dir: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'okta-demo-cli-'));
  const file = join(dir, 'cli.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['@org/source'],
    logLevel: 'silent',
  });
  return { file, dir, remove: () => { rmSync(dir, { recursive: true, force: true }); } };
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the bundled CLI with exactly `env` (plus PATH), stdout and stderr piped (not a TTY); `uid` runs it as that user (when root);
 * `stopAfterMs` sends it SIGTERM then, if it still runs (`pnpm demo:web` serves until stopped).
 */
export function runCli(file: string, args: readonly string[], env: Readonly<Record<string, string>>, uid?: number, stopAfterMs?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(uid === undefined ? {} : { uid, gid: uid }),
      ...(stopAfterMs === undefined ? {} : { timeout: stopAfterMs }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}
