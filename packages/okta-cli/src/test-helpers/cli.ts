import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEED_PASSWORD, startEmulator, type OktaEmulator, type SignInAppOptions } from '@org/okta-emulator';
import { closedPort } from '@org/okta-test-utils/free-port';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';

/** What a test may set of {@link deviceSignInOrg}'s app: DPoP required, rotation, its grace period. */
export type SignInAppChoices = Pick<SignInAppOptions, 'requireDpop' | 'refreshTokenRotation' | 'refreshTokenLeewaySeconds'>;

/**
 * An org for device sign-in from the CLI: the admin `ada@example.com` (password SEED_PASSWORD) and a native app's
 * `signInApp()`, set to rotate its refresh tokens (Okta's default for a native app is static) so the tests see each
 * refreshed token written back. `deviceIntervalSeconds` is the device grant's polling interval (Okta's 5 s unless
 * given): 1 for tests whose sign-ins are not about the interval, each of which would otherwise wait 5 s to be polled.
 */
export async function deviceSignInOrg(seedUsers: number, deviceIntervalSeconds?: number): Promise<{ org: OktaEmulator; signInApp: (opts?: SignInAppChoices) => string }> {
  const org = await startEmulator({ seed: { users: seedUsers }, deviceIntervalSeconds });
  org.createUser({ login: 'ada@example.com', password: SEED_PASSWORD, admin: true });
  const signInApp = (opts: SignInAppChoices = {}) =>
    org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1:9/cb'], scopes: ['okta.users.read'], refreshTokenRotation: 'rotate', ...opts }).clientId;
  return { org, signInApp };
}

/** The built binary: tests run what users run. */
export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export function requireBuiltCli(): void {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: build first (pnpm exec turbo run build --filter=@org/okta-cli...).`);
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A temporary home, XDG config dir and working directory, and nothing else from the real environment. */
export interface Sandbox {
  readonly dir: string;
  readonly home: string;
  readonly cwd: string;
  readonly xdg: string;
  readonly env: Record<string, string>;
  writeYaml(where: 'cwd' | 'home', okta: unknown): void;
  remove(): void;
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'okta-cli-test-'));
  const home = join(dir, 'home');
  const cwd = join(dir, 'work');
  const xdg = join(dir, 'xdg');
  for (const d of [home, cwd, xdg]) mkdirSync(d, { recursive: true });
  return {
    dir,
    home,
    cwd,
    xdg,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_CONFIG_HOME: xdg, BROWSER: 'none' },
    writeYaml(where, okta) {
      const folder = where === 'cwd' ? cwd : join(home, '.okta');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'okta.yaml'), stringify({ okta }), { mode: 0o600 });
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A value a file's hooks make, read by a test (a getter of {@link emulatorAndSandboxes} or {@link userProfileOrg}). */
function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is made in the file's hooks: read it inside a test`);
  return value;
}

/**
 * For a file of tests: the built binary checked and an emulator started before them (closed after),
 * and a fresh {@link sandbox} for each test, read through the answer's getters.
 */
export function emulatorAndSandboxes(): { readonly org: OktaEmulator; readonly box: Sandbox } {
  const state: { org?: OktaEmulator; box?: Sandbox } = {};
  beforeAll(async () => {
    requireBuiltCli();
    state.org = await startEmulator();
  });
  afterAll(async () => {
    await state.org?.close();
  });
  beforeEach(() => {
    state.box = sandbox();
  });
  afterEach(() => {
    state.box?.remove();
  });
  return madeInHooks(state);
}

/** The emulator and sandbox a file's hooks make (`state`), read through getters inside a test: {@link started}'s error before. */
export function madeInHooks(state: { readonly org?: OktaEmulator; readonly box?: Sandbox }): { readonly org: OktaEmulator; readonly box: Sandbox } {
  return {
    get org() {
      return started(state.org, 'the emulator');
    },
    get box() {
      return started(state.box, 'the sandbox');
    },
  };
}

/** What {@link userProfileOrg} makes: an org with ada and two native apps, and the sandbox whose ./okta.yaml names them. */
export interface UserProfileOrg {
  readonly org: OktaEmulator;
  readonly box: Sandbox;
  /** A native app whose tokens are Bearer tokens. */
  readonly bearerApp: string;
  /** A native app that requires DPoP-bound tokens. */
  readonly dpopApp: string;
}

/** A person's sign-in to `clientId` asking for a refresh token (`offline_access`): a profile for okta.yaml. */
export function userProfile(org: OktaEmulator, clientId: string): { orgUrl: string; authorizationMode: 'User'; clientId: string; scopes: string } {
  return { orgUrl: org.url, authorizationMode: 'User', clientId, scopes: 'openid profile offline_access okta.users.read' };
}

/** A {@link UserProfileOrg} made by {@link startUserProfileOrg}, and the way to close its org and remove its sandbox. */
export interface StartedUserProfileOrg extends UserProfileOrg {
  close(): Promise<void>;
}

/**
 * {@link userProfileOrg}'s org and sandbox, made now: for a test of its own (tests that run at once,
 * each with its own org, faults and token files), which closes it (`onTestFinished`).
 */
export async function startUserProfileOrg(okta: (made: Omit<UserProfileOrg, 'box'>) => unknown, options: { seedUsers?: number; deviceIntervalSeconds?: number } = {}): Promise<StartedUserProfileOrg> {
  requireBuiltCli();
  const { org, signInApp } = await deviceSignInOrg(options.seedUsers ?? 1, options.deviceIntervalSeconds);
  const made = { org, bearerApp: signInApp(), dpopApp: signInApp({ requireDpop: true }) };
  const box = sandbox();
  box.writeYaml('cwd', okta(made));
  return {
    ...made,
    box,
    close: async () => {
      await org.close();
      box.remove();
    },
  };
}

/**
 * For a file of `login`/`logout` tests: the built binary checked, a {@link deviceSignInOrg} with a
 * Bearer and a DPoP app, and one sandbox whose ./okta.yaml is what `okta` returns, made before the
 * tests (closed and removed after); read through the answer's getters inside a test.
 * `deviceIntervalSeconds` as {@link deviceSignInOrg} takes it.
 */
export function userProfileOrg(okta: (made: Omit<UserProfileOrg, 'box'>) => unknown, options: { seedUsers?: number; deviceIntervalSeconds?: number } = {}): UserProfileOrg {
  const state: Partial<StartedUserProfileOrg> = {};
  beforeAll(async () => {
    Object.assign(state, await startUserProfileOrg(okta, options));
  });
  afterAll(async () => {
    await state.close?.();
  });
  return {
    get org() {
      return started(state.org, 'the emulator');
    },
    get box() {
      return started(state.box, 'the sandbox');
    },
    get bearerApp() {
      return started(state.bearerApp, 'the Bearer app');
    },
    get dpopApp() {
      return started(state.dpopApp, 'the DPoP app');
    },
  };
}

/**
 * Runs the binary asynchronously (the emulator answers from this same process,
 * so the event loop must keep running) and collects its output. `timeoutMs` kills a child that
 * hangs (a safety net for a fault that once made it wait forever, never what a test asserts).
 * `uid` runs it as that user id, with the group id of the same number (only root can).
 */
export function runCli(args: readonly string[], options: { cwd: string; env: Record<string, string>; input?: string | Uint8Array; bin?: string; timeoutMs?: number; uid?: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const bin = options.bin ?? cliPath;
    // A .js file runs with this node; anything else (npm's bin link) is executed as a shell would.
    const [command, argv] = bin.endsWith('.js') ? [process.execPath, [bin, ...args]] : [bin, [...args]];
    const child = spawn(command, argv, { cwd: options.cwd, env: { ...options.env, PATH: `${join(process.execPath, '..')}:${options.env.PATH ?? ''}` }, stdio: ['pipe', 'pipe', 'pipe'], ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }), ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** A running binary whose output can be awaited line by line (`login` waits for approval, `api --follow` for events). */
export interface RunningCli {
  readonly result: Promise<CliResult>;
  /** Resolves with the first match of `pattern` in stderr so far or to come. */
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with the first match of `pattern` in stdout so far or to come. */
  waitForStdout(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Sends SIGINT (Ctrl-C) to this child, or the signal named (`timeout`'s SIGTERM, a closed terminal's SIGHUP). */
  interrupt(signal?: NodeJS.Signals): void;
  /** The child's process id (where its main thread waits: `/proc/<pid>/task/<pid>/wchan`). */
  readonly pid: number | undefined;
}

export function startCli(args: readonly string[], options: { cwd: string; env: Record<string, string> }): RunningCli {
  const text = { stdout: '', stderr: '' };
  const waiters: { stream: keyof typeof text; pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream].setEncoding('utf8').on('data', (d: string) => {
      text[stream] += d;
      for (const w of waiters.filter((waiter) => waiter.stream === stream)) {
        const m = text[stream].match(w.pattern);
        if (m !== null) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    });
  }
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ...text }));
  });
  const waitFor = (stream: keyof typeof text, pattern: RegExp): Promise<RegExpMatchArray> => {
    const m = text[stream].match(pattern);
    if (m !== null) return Promise.resolve(m);
    return new Promise((resolve, reject) => {
      waiters.push({ stream, pattern, resolve });
      void result.then(() => reject(new Error(`the command ended before ${stream} matched ${String(pattern)}:\n${text.stderr}`)));
    });
  };
  return {
    result,
    pid: child.pid,
    interrupt: (signal = 'SIGINT') => {
      child.kill(signal);
    },
    waitForStderr: (pattern) => waitFor('stderr', pattern),
    waitForStdout: (pattern) => waitFor('stdout', pattern),
  };
}

/** A loopback port nothing listens on, nor will while other test files run (the test suites' one port helper). */
export { closedPort };

/**
 * Signs ada (`ada@example.com`) in with `okta-auth … login`, the device sign-in approved at the
 * emulator, and expects it to exit 0: what it printed.
 */
export async function loginAsAda(org: OktaEmulator, args: readonly string[], options: { cwd: string; env: Record<string, string> }): Promise<CliResult> {
  const running = startCli(args, options);
  const [, code] = await running.waitForStderr(/and check that it shows the code (\S+)/);
  org.approveDevice(code ?? '', 'ada@example.com');
  const signedIn = await running.result;
  expect(signedIn.code, signedIn.stderr).toBe(0);
  return signedIn;
}

/** A fresh {@link sandbox} for each test of the file, `HOME` pointing into it (removed after). */
export function useSandbox(): { readonly box: Sandbox } {
  const made: { box?: Sandbox } = {};
  beforeEach(() => {
    made.box = sandbox();
    vi.stubEnv('HOME', made.box.home);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    made.box?.remove();
  });
  return { get box() { return started(made.box, 'the sandbox'); } };
}

