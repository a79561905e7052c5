import { createOktaFetch, type OktaCredential } from '@org/okta-auth-core';
import { createMultiOrgCredentials, createOinAppCredential, createServiceAppCredential, createSignInClient } from '@org/okta-oauth';
import { createSswsCredential } from '@org/okta-ssws';
import type { TourConfig } from '../config.js';
import { ENV } from '../config.js';
import type { Ui } from '../ui/ui.js';
import { DEMO_ADMIN, throttleUsers, unthrottle, USER_SCOPES, type DemoOrgs } from './demo-org.js';
import { Traffic, type ShownRequest } from './traffic.js';
import { listAllUsers, userColumns, type OktaUser } from './users.js';

/** What a step hands the tour: the figures for `--json` (and the tests). */
export type Figures = Record<string, unknown>;

/** What every step gets. */
export interface StepContext {
  readonly ui: Ui;
  readonly config: TourConfig;
  /** The org the read steps use. */
  readonly orgUrl: string;
  /** The emulated orgs, when the tour runs on the emulator. */
  readonly demo: DemoOrgs | undefined;
  /** When the tour began (RFC 3339): the System Log step reads from here. */
  readonly since: string;
}

/** A step that cannot run here, and why. */
export class Skip extends Error {
  override readonly name = 'Skip';
}

export const USER_AGENT = 'okta-demo/0.0.0';
/** Against a real org, read at most this many pages: the demo is not a bulk export. */
const ORG_MAX_PAGES = 5;
const TABLE_ROWS = 6;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function showRequest(ui: Ui, request: ShownRequest | undefined): void {
  if (request === undefined) return;
  const url = new URL(request.url);
  ui.line(`${request.method} ${url.pathname}${url.search}`);
  const width = Math.max(...Object.keys(request.headers).map((name) => name.length));
  for (const [name, value] of Object.entries(request.headers)) ui.note(`  ${`${name}:`.padEnd(width + 1)} ${value}`);
}

async function listUsers(ctx: StepContext, credential: OktaCredential, traffic: Traffic, label: string): Promise<{ users: OktaUser[]; pages: number }> {
  const okta = createOktaFetch({ credential, fetch: traffic.fetch, logger: traffic.logger, userAgent: USER_AGENT });
  const real = ctx.demo === undefined;
  const pageSize = real ? 200 : 100;
  return ctx.ui.task(label, (progress) => {
    let listed = '';
    traffic.onWait = (ms) => {
      progress(`${listed}; 429 Too Many Requests, waiting ${seconds(ms)} as X-Rate-Limit-Reset says`);
    };
    return listAllUsers(
      okta,
      pageSize,
      (detail) => {
        listed = detail;
        progress(detail);
      },
      real ? ORG_MAX_PAGES : undefined,
    );
  });
}

/** The tour's API token (the demo org's, or the real org's `${ENV.token}`), or a {@link Skip} without one: steps 1 and 6. */
export function apiTokenCredential(ctx: StepContext): OktaCredential {
  const { demo, config } = ctx;
  if (demo !== undefined) return createSswsCredential({ orgUrl: demo.acme.url, token: demo.apiToken, allowInsecureLoopback: true });
  if (config.mode === 'org' && config.ssws !== undefined) return config.ssws;
  throw new Skip(`set ${ENV.token} (an API token) to run it`);
}

/** Step 1: an API token lists every user across pages; the request it sent, secret masked. */
export async function apiTokenStep(ctx: StepContext): Promise<Figures> {
  const { ui } = ctx;
  const credential = apiTokenCredential(ctx);
  const traffic = new Traffic();
  const { users, pages } = await listUsers(ctx, credential, traffic, 'Listing every user');
  ui.table(userColumns, users, TABLE_ROWS);
  ui.line();
  ui.line('The first request, as sent (secrets masked):');
  showRequest(ui, traffic.firstRequest);
  ui.line();
  ui.figures([
    ['users', users.length],
    ['pages (Link: rel="next")', pages],
    ['requests', traffic.requests],
    ['rate-limit waits', traffic.waits.length],
  ]);
  return { users: users.length, pages, requests: traffic.requests, waits: traffic.waits.length, request: traffic.firstRequest };
}

/** Step 2: a service app (private_key_jwt + DPoP) does the same listing with one token, through a 429. */
export async function serviceAppStep(ctx: StepContext): Promise<Figures> {
  const { ui, demo, config } = ctx;
  const traffic = new Traffic();
  const transport = { fetch: traffic.fetch, logger: traffic.logger, userAgent: USER_AGENT };
  let credential: OktaCredential;
  if (demo !== undefined) {
    const app = demo.serviceApp;
    credential = createServiceAppCredential({
      ...transport,
      orgUrl: demo.acme.url,
      clientId: app.clientId,
      privateKey: app.privateKeyPem,
      keyId: app.keyId,
      scopes: USER_SCOPES,
      allowInsecureLoopback: true,
    });
    // 4 pages; 3 requests a minute, one of them taken: the third page meets a 429.
    traffic.beforeFirstApiRequest = await throttleUsers(demo.acme, demo.apiToken, 3, 4);
    ui.note('The emulator now allows 3 requests a minute on /api/v1/users, and this minute is nearly over.');
    demo.acme.resetCounters();
  } else if (config.mode === 'org' && config.serviceApp !== undefined) {
    credential = config.serviceApp(transport);
  } else {
    throw new Skip(`set ${ENV.clientId}, ${ENV.scopes} and ${ENV.privateKey} (a service app) to run it`);
  }
  let listed: { users: OktaUser[]; pages: number };
  try {
    listed = await listUsers(ctx, credential, traffic, 'Listing every user');
  } finally {
    if (demo !== undefined) unthrottle(demo.acme);
  }
  const scheme = traffic.firstRequest?.headers.authorization?.split(' ')[0] ?? 'none';
  ui.line();
  ui.line('The first request, as sent (secrets masked):');
  showRequest(ui, traffic.firstRequest);
  ui.line();
  const orgCounted = demo === undefined ? undefined : demo.acme.counters();
  const figures: [string, string | number][] = [
    ['users', listed.users.length],
    ['pages', listed.pages],
    ['API requests (retries included)', traffic.requests],
    ['token requests', traffic.tokenRequests],
    ['DPoP nonce handshakes', traffic.dpopNonceHandshakes],
    ['429 answers', traffic.throttled],
    ['rate-limit waits honoured', traffic.waits.length === 0 ? '0' : `${traffic.waits.length} (${traffic.waits.map(seconds).join(', ')})`],
  ];
  if (orgCounted !== undefined) figures.push(['token requests the org saw', orgCounted.tokenRequests.client_credentials?.success ?? 0]);
  ui.figures(figures);
  if (traffic.tokenRequests === 1) {
    const proofs = scheme === 'DPoP' ? ', with a new DPoP proof for each call' : '';
    ui.ok(`One token request for all ${String(traffic.requests)} calls: a ${scheme} token${proofs}.`);
  }
  if (traffic.dpopNonceHandshakes > 0) ui.note("(Okta answers a DPoP token request's first try with a nonce to include: that resend is the handshake.)");
  if (traffic.waits.length > 0) ui.ok("The 429 was waited out as Okta's X-Rate-Limit-Reset said, then the listing went on.");
  else if (demo === undefined) ui.note("(No 429 this time; on one, the client waits as Okta's X-Rate-Limit-Reset says.)");
  return {
    users: listed.users.length,
    pages: listed.pages,
    requests: traffic.requests,
    tokenRequests: traffic.tokenRequests,
    tokenEndpointCalls: traffic.tokenEndpointCalls,
    dpopNonceHandshakes: traffic.dpopNonceHandshakes,
    throttled: traffic.throttled,
    waits: traffic.waits.length,
    waitedMs: traffic.waitedMs,
    tokenType: scheme,
    request: traffic.firstRequest,
    ...(orgCounted === undefined
      ? {}
      : { orgCounted: { tokenRequests: orgCounted.tokenRequests.client_credentials?.success ?? 0, userRequests: orgCounted.requests['GET /api/v1/users'] ?? 0 } }),
  };
}

/** Step 3: one OIN integration installed in two customer orgs: a token per org, never mixed. */
export async function oinStep(ctx: StepContext): Promise<Figures> {
  const { ui, demo } = ctx;
  if (demo === undefined) throw new Skip('it needs two orgs with the integration installed: it runs on the emulator');
  const traffic = new Traffic();
  const orgs = createMultiOrgCredentials({
    create: (orgUrl, tenant: { clientId: string; clientSecret: string }) =>
      createOinAppCredential({ orgUrl, ...tenant, scopes: USER_SCOPES, allowInsecureLoopback: true, fetch: traffic.fetch, logger: traffic.logger }),
  });
  const results = await ui.task(`Listing users in ${demo.tenants.length} orgs at once`, () =>
    Promise.all(
      demo.tenants.map(async (tenant) => {
        const credential = orgs.get(tenant.orgUrl, { clientId: tenant.clientId, clientSecret: tenant.clientSecret });
        const { users } = await listAllUsers(createOktaFetch({ credential, fetch: traffic.fetch, logger: traffic.logger }), 200, () => undefined);
        return { tenant, users: users.length };
      }),
    ),
  );
  const rows = results.map(({ tenant, users }) => {
    const origin = new URL(tenant.orgUrl).origin;
    const tokens = [...(traffic.tokensByOrigin.get(origin) ?? [])];
    return { name: tenant.name, orgUrl: origin, users, tokenRequests: traffic.tokenRequestsByOrigin.get(origin) ?? 0, tokens };
  });
  ui.table(
    [
      { heading: 'Org', cell: (r: (typeof rows)[number]) => r.name },
      { heading: 'URL', cell: (r) => r.orgUrl },
      { heading: 'Users', cell: (r) => String(r.users), align: 'right' },
      { heading: 'Token requests', cell: (r) => String(r.tokenRequests), align: 'right' },
      { heading: 'Token sent (fingerprint)', cell: (r) => r.tokens.join(', ') },
    ],
    rows,
  );
  const [first, second] = rows;
  const mixed = rows.some((row) => row.tokens.length !== 1) || first?.tokens[0] === second?.tokens[0];
  // Prove it the other way: the first org's token, sent to the second org, is refused.
  let crossOrgStatus: number | undefined;
  const token = first?.tokens[0] === undefined ? undefined : traffic.tokenFor(first.tokens[0]);
  if (token !== undefined && second !== undefined) {
    const response = await fetch(`${second.orgUrl}/api/v1/users?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
    await response.body?.cancel();
    crossOrgStatus = response.status;
  }
  ui.line();
  if (!mixed) ui.ok('Each org got its own token from its own token endpoint, and only that token was sent to it.');
  if (crossOrgStatus !== undefined) ui.ok(`${first?.name ?? ''}'s token sent to ${second?.name ?? ''} → ${crossOrgStatus}: a token is good for its own org only.`);
  return {
    orgs: rows.map(({ tokens, ...row }) => ({ ...row, token: tokens.join(',') })),
    mixed,
    crossOrgStatus,
    orgsHeld: orgs.size,
  };
}

/** Step 4: a user's device sign-in, approved on the emulator, then a call with the user's own token. */
export async function deviceStep(ctx: StepContext): Promise<Figures> {
  const { ui, demo } = ctx;
  if (demo === undefined) throw new Skip('it needs a person to approve the sign-in: it runs on the emulator');
  const traffic = new Traffic();
  const signIn = createSignInClient({
    orgUrl: demo.acme.url,
    clientId: demo.deviceClientId,
    scopes: ['openid', 'profile', 'email', 'offline_access', ...USER_SCOPES],
    allowInsecureLoopback: true,
    fetch: traffic.fetch,
    logger: traffic.logger,
    userAgent: USER_AGENT,
  });
  const device = await signIn.startDeviceSignIn();
  ui.line(`On another device: open ${device.verificationUri} and enter ${device.userCode}`);
  demo.acme.approveDevice(device.userCode, DEMO_ADMIN.login);
  ui.note(`(here the emulator approves it as ${DEMO_ADMIN.login}, as if they had entered the code there)`);
  const result = await ui.task(`Waiting for approval (polling every ${device.intervalSeconds} s, as Okta asks)`, () =>
    device.poll({ signal: AbortSignal.timeout(120_000) }),
  );
  const credential = signIn.credential(result);
  const okta = createOktaFetch({ credential, fetch: traffic.fetch, logger: traffic.logger, userAgent: USER_AGENT });
  const userId = result.claims?.sub ?? '';
  const me = await ui.task("Reading the user's own profile with the user's token", async () => (await (await okta(`/api/v1/users/${encodeURIComponent(userId)}`)).json()) as OktaUser);
  ui.figures([
    ['signed in as', `${me.profile.firstName ?? ''} ${me.profile.lastName ?? ''} <${me.profile.login}>`],
    ['token', `${result.tokens.tokenType}, scopes ${result.tokens.scopes.join(' ')}`],
    ['refresh token', result.tokens.refreshToken === undefined ? 'no' : 'yes (offline_access)'],
  ]);
  const signedOut = await ui.task('Signing out (revoking the tokens)', () => credential.signOut());
  // The access token the calls carried, sent again after sign-out.
  const print = [...(traffic.tokensByOrigin.get(new URL(demo.acme.url).origin) ?? [])][0];
  const token = print === undefined ? undefined : traffic.tokenFor(print);
  let afterSignOut: number | undefined;
  if (token !== undefined) {
    const response = await fetch(`${demo.acme.url}/api/v1/users/${encodeURIComponent(userId)}`, { headers: { Authorization: `${result.tokens.tokenType} ${token}` } });
    await response.body?.cancel();
    afterSignOut = response.status;
  }
  // signOut() never throws for Okta's answers: it says what was revoked and what was not.
  const after = afterSignOut === undefined ? '' : `; the access token now gets ${String(afterSignOut)}`;
  const revoked = signedOut.revoked.length === 0 ? 'nothing' : signedOut.revoked.join(', ');
  if (signedOut.notRevoked.length === 0) ui.ok(`Revoked at Okta: ${revoked}${after}.`);
  else {
    const refused = signedOut.notRevoked.map(({ token: kind, error }) => `${kind} (${error.code}: ${error.message})`).join(', ');
    ui.warn(`Revoked at Okta: ${revoked}; not revoked: ${refused}${after}. A token Okta did not revoke may stay valid until it expires.`);
  }
  return {
    userCode: device.userCode,
    user: { id: me.id, login: me.profile.login },
    tokenType: result.tokens.tokenType,
    scopes: result.tokens.scopes,
    revoked: signedOut.revoked,
    notRevoked: signedOut.notRevoked.map(({ token: kind, error }) => ({ token: kind, code: error.code })),
    requests: traffic.requests,
    tokenRequests: traffic.tokenRequests,
    afterSignOut,
  };
}
