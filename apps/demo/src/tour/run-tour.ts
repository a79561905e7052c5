import { isOktaApiError, isOktaAuthError } from '@org/okta-auth-core';
import { ENV, type TourConfig } from '../config.js';
import type { Ui } from '../ui/ui.js';
import { startDemoOrgs, type DemoOrgs } from './demo-org.js';
import { fleetStep } from './fleet-step.js';
import { apiTokenStep, deviceStep, oinStep, serviceAppStep, Skip, type Figures, type StepContext } from './steps.js';
import { systemLogStep } from './system-log-step.js';

/** One step's outcome, as `--json` prints it. */
export interface StepReport {
  readonly id: string;
  readonly title: string;
  /** The code that ran the step. */
  readonly code: StepCode;
  readonly status: 'ok' | 'skipped' | 'failed';
  readonly reason?: string;
  readonly error?: string;
  /** For a failed step on a real org: the variables to check (none when Okta itself failed, or its rate limit was spent). */
  readonly variables?: readonly string[];
  /** For a failed step on a real org whose variables are not in question: what to do instead (a 429: try again after the reset). */
  readonly advice?: string;
  readonly figures?: Figures;
  readonly elapsedMs: number;
}

/** The whole tour, as `--json` prints it. */
export interface TourReport {
  readonly ok: boolean;
  readonly mode: 'emulator' | 'org';
  readonly orgUrl: string;
  readonly steps: readonly StepReport[];
  readonly elapsedMs: number;
}

/** Where a step's code is, so a reader can go from what they saw to how to do it. */
export interface StepCode {
  /** The file and function, from the repository root. */
  readonly file: string;
  /** The package calls it makes, in order. */
  readonly calls: readonly string[];
}

const STEPS_FILE = 'apps/demo/src/tour/steps.ts';
const LIST_USERS = "paginatePages(okta, '/api/v1/users?limit=100') (core; apps/demo/src/tour/users.ts)";

const STEPS: readonly { id: string; title: string; lead: string; code: StepCode; run: (ctx: StepContext) => Promise<Figures> }[] = [
  {
    id: 'api-token',
    title: 'API token (SSWS)',
    lead: 'Okta API tokens: every user, across pages.',
    code: { file: `${STEPS_FILE}, apiTokenStep()`, calls: ['createSswsCredential({ orgUrl, token }) (@org/okta-ssws)', 'createOktaFetch({ credential }) (@org/okta-auth-core)', LIST_USERS] },
    run: apiTokenStep,
  },
  {
    id: 'service-app',
    title: 'Service app (private_key_jwt + DPoP)',
    lead: 'The same listing with scoped OAuth: one token for every call, rate limits honoured.',
    code: {
      file: `${STEPS_FILE}, serviceAppStep()`,
      calls: ['createServiceAppCredential({ orgUrl, clientId, privateKey, keyId, scopes }) (@org/okta-oauth)', 'createOktaFetch({ credential }) (@org/okta-auth-core)', LIST_USERS],
    },
    run: serviceAppStep,
  },
  {
    id: 'oin-app',
    title: 'OIN integration in two customer orgs',
    lead: 'One integration, a client id and secret per org, a token per org.',
    code: {
      file: `${STEPS_FILE}, oinStep()`,
      calls: [
        'createMultiOrgCredentials({ create }) with createOinAppCredential({ orgUrl, clientId, clientSecret, scopes }) (@org/okta-oauth)',
        'orgs.get(orgUrl, { clientId, clientSecret })',
        'createOktaFetch({ credential }) (@org/okta-auth-core)',
        LIST_USERS,
      ],
    },
    run: oinStep,
  },
  {
    id: 'device-sign-in',
    title: "A user's device sign-in",
    lead: "A command-line sign-in (RFC 8628), then Okta's API with the user's own token.",
    code: {
      file: `${STEPS_FILE}, deviceStep()`,
      calls: [
        'createSignInClient({ orgUrl, clientId, scopes }) (@org/okta-oauth)',
        'signIn.startDeviceSignIn()',
        'device.poll()',
        'signIn.credential(result)',
        'createOktaFetch({ credential }) (@org/okta-auth-core)',
        'credential.signOut()',
      ],
    },
    run: deviceStep,
  },
  {
    id: 'fleet',
    title: 'A fleet sharing one token on Redis',
    lead: 'Several worker processes, one token grant: @org/okta-token-store-redis.',
    code: {
      file: 'apps/demo/src/tour/fleet-step.ts, fleetStep()',
      calls: ['createRedisTokenStorage({ client, encryption }) (@org/okta-token-store-redis)', 'createOinAppCredential({ …, tokenStore }) (@org/okta-oauth)'],
    },
    run: fleetStep,
  },
  {
    id: 'system-log',
    title: 'The System Log: what the tour left there',
    lead: "Okta's audit trail since the tour began, followed until caught up.",
    code: {
      file: 'apps/demo/src/tour/system-log-step.ts, systemLogStep()',
      calls: ['createOktaFetch({ credential }) (@org/okta-auth-core)', "pollSystemLog(okta, '/api/v1/logs?since=…') (@org/okta-auth-core), until its first empty page"],
    },
    run: systemLogStep,
  },
];

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The settings each step reads on a real org. */
const STEP_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  'api-token': [ENV.token],
  'system-log': [ENV.token],
  'service-app': [ENV.clientId, ENV.scopes, ENV.privateKey, ENV.keyId],
};

/**
 * On a real org, what a failure points at: the org URL when it never answered; nothing of the user's when Okta itself
 * failed (a 5xx, at the API or an OAuth endpoint: core's `OktaApiError` and okta-oauth's errors carry its `status`)
 * or its rate limit was spent (`RATE_LIMITED`, from either), with what to do for a 429; else the step's credential.
 */
function whatToCheck(error: unknown, stepId: string): { readonly variables: readonly string[]; readonly advice?: string } {
  if (!isOktaAuthError(error)) return { variables: STEP_VARIABLES[stepId] ?? [] };
  if (['NETWORK_ERROR', 'TIMEOUT', 'REDIRECT_BLOCKED', 'INVALID_RESPONSE'].includes(error.code)) return { variables: [ENV.orgUrl] };
  if (error.code === 'RATE_LIMITED') return { variables: [], advice: "Okta's rate limit for these calls is spent: try again after the reset." };
  const { status } = error as { status?: unknown };
  if (typeof status === 'number' && status >= 500) return { variables: [] };
  if (isOktaApiError(error) && error.status === 404) return { variables: [ENV.orgUrl] };
  return { variables: STEP_VARIABLES[stepId] ?? [] };
}

/** Runs the tour: sets up the emulator (unless the config names a real org), then each step in turn. */
export async function runTour(config: TourConfig, ui: Ui, now: () => number = () => performance.now()): Promise<TourReport> {
  const started = now();
  // A second early: the org's clock and ours may differ by a little (Okta's by more; the log reads from here).
  const since = new Date(Date.now() - 1000).toISOString();
  let demo: DemoOrgs | undefined;
  if (config.mode === 'emulator') {
    demo = await ui.task('Starting two emulated Okta orgs and seeding them', async (progress) => {
      const orgs = await startDemoOrgs();
      progress(`${orgs.acme.url} (acme), ${orgs.globex.url} (globex)`);
      return orgs;
    });
  }
  const orgUrl = demo?.acme.url ?? (config.mode === 'org' ? config.orgUrl : '');
  const ctx: StepContext = { ui, config, orgUrl, demo, since };
  const steps: StepReport[] = [];
  try {
    for (const [index, step] of STEPS.entries()) {
      ui.section(`${String(index + 1)}. ${step.title}`, step.lead);
      ui.note(`Code: ${step.code.file}: ${step.code.calls.join(' → ')}`);
      const stepStarted = now();
      const elapsed = (): number => Math.round(now() - stepStarted);
      try {
        const figures = await step.run(ctx);
        steps.push({ id: step.id, title: step.title, code: step.code, status: 'ok', figures, elapsedMs: elapsed() });
      } catch (error) {
        if (error instanceof Skip) {
          ui.note(`Skipped: ${error.message}.`);
          steps.push({ id: step.id, title: step.title, code: step.code, status: 'skipped', reason: error.message, elapsedMs: elapsed() });
        } else {
          const { variables, advice } = config.mode === 'org' ? whatToCheck(error, step.id) : { variables: [] };
          ui.warn(`Failed: ${messageOf(error)}`);
          if (variables.length > 0) ui.warn(`Check ${variables.join(', ')}.`);
          if (advice !== undefined) ui.warn(advice);
          steps.push({ id: step.id, title: step.title, code: step.code, status: 'failed', error: messageOf(error), variables, ...(advice === undefined ? {} : { advice }), elapsedMs: elapsed() });
        }
      }
    }
  } finally {
    await demo?.close();
  }
  return { ok: steps.every((s) => s.status !== 'failed'), mode: config.mode, orgUrl, steps, elapsedMs: Math.round(now() - started) };
}
