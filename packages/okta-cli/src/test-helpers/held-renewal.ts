import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OktaEmulator } from '@org/okta-emulator';
import { onTestFinished } from 'vitest';
import { lockAge } from '../file-lock.js';
import { deviceSignInOrg, loginAsAda, requireBuiltCli, sandbox, startCli, userProfile, type Sandbox, type SignInAppChoices } from './cli.js';

/** What {@link signedInToRenew} made: the org, the sandbox, and the token file and its lock there. */
export interface SignedInToRenew {
  readonly org: OktaEmulator;
  readonly box: Sandbox;
  /** The default profile's token file (`<xdg>/okta-auth/tokens/default.json`). */
  readonly tokens: string;
  /** Its lock (`default.json.lock`), which a renewal holds from its read to its write. */
  readonly lock: string;
}

/**
 * For one test (closed and removed when it finishes, `onTestFinished`): the built binary checked, an
 * org ({@link deviceSignInOrg}, device polling every 1 s) with a native app made with `app` (default
 * rotating refresh tokens with grace period 0, `refreshTokenLeewaySeconds: 0`, which an Okta admin
 * may set), ./okta.yaml's `client` the {@link userProfile} of that app with `profile` over it, and ada
 * signed in with access tokens of 30 s: within the CLI's 60 s renewal floor, so each later run renews
 * before its call. Tokens issued after are of an hour, and the org's counters start at nothing.
 */
export async function signedInToRenew(app: SignInAppChoices = { refreshTokenLeewaySeconds: 0 }, profile: Record<string, unknown> = {}): Promise<SignedInToRenew> {
  requireBuiltCli();
  const { org, signInApp } = await deviceSignInOrg(1, 1);
  const box = sandbox();
  onTestFinished(async () => {
    await org.close();
    box.remove();
  });
  box.writeYaml('cwd', { client: { ...userProfile(org, signInApp(app)), ...profile } });
  org.setTokenLifetime(30);
  await loginAsAda(org, ['login', '--no-browser'], { cwd: box.cwd, env: box.env });
  org.setTokenLifetime(3600);
  org.resetCounters();
  const tokens = join(box.xdg, 'okta-auth', 'tokens', 'default.json');
  return { org, box, tokens, lock: `${tokens}.lock` };
}

/** The token file lock's stale age set to `ms` for this test (runs in this process: `inProcess`), set back when it finishes. */
export function staleAgeForThisTest(ms: number): void {
  const was = lockAge.staleMs;
  lockAge.staleMs = ms;
  onTestFinished(() => {
    lockAge.staleMs = was;
  });
}

/** One `okta-auth` run: its exit code to come, and its stderr (whole once the code has come). `inProcess` answers one. */
export interface Run {
  readonly code: Promise<number | null>;
  stderr(): string;
}

/** `okta-auth <args>` as a built CLI process ({@link startCli}) in `box`, as a {@link Run}. */
export function spawned(args: readonly string[], box: Sandbox): Run {
  let stderr = '';
  const code = startCli(args, { cwd: box.cwd, env: box.env }).result.then((result) => {
    stderr = result.stderr;
    return result.code;
  });
  return { code, stderr: () => stderr };
}

/** What {@link twoRunsTokenHeld} saw. */
export interface HeldRuns {
  /** The exit code of a run that ended within `watchMs` of the hold, `undefined` when neither did. */
  readonly ended: number | null | undefined;
  /** The org's token requests counted at the end of `watchMs`, the first one still held. */
  readonly sentWhileHeld: ReturnType<OktaEmulator['counters']>['tokenRequests'];
  /** Both runs' exit codes and their stderr, in the order they started. */
  readonly codes: readonly [number | null, number | null];
  readonly stderr: readonly [string, string];
}

/**
 * Two runs started at once (`start`, twice) whose first token request is held at the org
 * (`/oauth2/v1/token`, one answer): once it is held, `whileHeld` runs, then both runs are watched
 * for `watchMs`; the org's clock then moves 2 s on (the held refresh goes on past a grace period of
 * 0: its refresh token spent, had the other run renewed meanwhile) and the hold is released.
 * Resolves once both have ended.
 */
export async function twoRunsTokenHeld(org: OktaEmulator, start: () => Run, options: { readonly watchMs: number; readonly whileHeld?: () => void }): Promise<HeldRuns> {
  const hold = org.injectFault({ path: '/oauth2/v1/token', kind: 'hold', count: 1 });
  const [a, b] = [start(), start()];
  while (org.heldAnswers(hold) === 0) await sleep(20);
  options.whileHeld?.();
  const ended = await Promise.race([a.code, b.code, sleep(options.watchMs).then(() => undefined)]);
  const sentWhileHeld = org.counters().tokenRequests;
  org.setClockOffset(2);
  org.removeFault(hold);
  const codes = await Promise.all([a.code, b.code]);
  return { ended, sentWhileHeld, codes, stderr: [a.stderr(), b.stderr()] };
}
