import { startEmulator, type OktaEmulator, type ServiceAppCredentials } from '@org/okta-emulator';

/** The demo's administrator on the emulated org (the web demo prints these). */
export const DEMO_ADMIN = { login: 'admin@example.com', password: 'Okta-Demo-2026!', firstName: 'Ada', lastName: 'Admin' } as const;

/** One customer org's installation of the OIN integration. */
export interface OinTenant {
  readonly name: string;
  readonly orgUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Everything the tour needs on the emulator: two orgs, seeded. */
export interface DemoOrgs {
  /** "acme": a few hundred users, the admin, an API token, a DPoP service app, a device sign-in app. */
  readonly acme: OktaEmulator;
  /** "globex": a second customer org of the OIN integration. */
  readonly globex: OktaEmulator;
  readonly apiToken: string;
  readonly serviceApp: ServiceAppCredentials;
  readonly tenants: readonly OinTenant[];
  /** A public OIDC app with the device grant, for step 4. */
  readonly deviceClientId: string;
  close(): Promise<void>;
}

export const USER_SCOPES = ['okta.users.read'];

/** Starts and seeds the two emulated orgs on 127.0.0.1 (free ports). */
export async function startDemoOrgs(options: { acmeUsers?: number; globexUsers?: number } = {}): Promise<DemoOrgs> {
  const acme = await startEmulator();
  let globex: OktaEmulator | undefined;
  try {
    globex = await startEmulator();
    acme.seedUsers(options.acmeUsers ?? 300);
    acme.createUser({ ...DEMO_ADMIN, email: DEMO_ADMIN.login, admin: true });
    globex.seedUsers(options.globexUsers ?? 40);
    const { token } = acme.createApiToken({ name: 'okta-demo', user: DEMO_ADMIN.login });
    const serviceApp = acme.createServiceApp({ keyType: 'EC', requireDpop: true, scopes: USER_SCOPES });
    const tenants = [
      { name: 'acme', orgUrl: acme.url, ...acme.createOinApp({ scopes: USER_SCOPES }) },
      { name: 'globex', orgUrl: globex.url, ...globex.createOinApp({ scopes: USER_SCOPES }) },
    ];
    const { clientId: deviceClientId } = acme.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1/callback'], scopes: USER_SCOPES });
    const second = globex;
    return {
      acme,
      globex: second,
      apiToken: token,
      serviceApp,
      tenants,
      deviceClientId,
      close: async () => {
        await Promise.all([acme.close(), second.close()]);
      },
    };
  } catch (error) {
    await Promise.all([acme.close(), globex?.close()]);
    throw error;
  }
}

/**
 * Throttles `/api/v1/users` for step 2, the way a busy org would: `perMinute` requests a
 * minute. The minute starts now, with one request; the function returned moves the org's clock
 * to `secondsLeft` before the minute's end, so the client meets a 429 and waits a few seconds
 * rather than most of a minute. Call it just before the calls that should meet the 429. The move
 * is measured from the minute's start, so the time spent before that call (the client's token
 * request: seconds on a busy machine) neither shortens the wait nor lets the minute end unseen.
 */
export async function throttleUsers(org: OktaEmulator, apiToken: string, perMinute: number, secondsLeft: number): Promise<() => void> {
  org.setClockOffset(0);
  org.setRateLimit('/api/v1/users', perMinute);
  // The minute starts with the first request in it: at or just after `startedAt` on the org's clock.
  const startedAt = Date.now();
  const opened = await fetch(`${org.url}/api/v1/users?limit=1`, { headers: { Authorization: `SSWS ${apiToken}` } });
  await opened.body?.cancel();
  return () => {
    org.setClockOffset((startedAt + (60 - secondsLeft) * 1000 - Date.now()) / 1000);
  };
}

/** Back to Okta's default limit and the real clock. */
export function unthrottle(org: OktaEmulator): void {
  org.setRateLimit('/api/v1/users', 600);
  org.setClockOffset(0);
}
