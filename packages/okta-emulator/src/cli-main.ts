import { parseArgs } from 'node:util';
import { startEmulator } from './emulator.js';
import type { OktaEmulator } from './emulator-api.js';
import { invalidOption, optionError, refusalOf, shown } from './emulator-error.js';
import { checkUserCount } from './options.js';
import { SEED_PASSWORD } from './state/store.js';
import { SEED_ADMIN_LOGIN } from './state/api-tokens.js';

export const DEFAULT_REDIRECT_URIS = ['http://localhost:5173/callback', 'http://127.0.0.1:5173/callback', 'http://localhost:3000/callback'];
const SERVICE_SCOPES = ['okta.users.read', 'okta.users.manage', 'okta.groups.read'];
/** The native app's loopback redirect URI (RFC 8252 §7.3): a command-line app's sign-in by browser. */
const NATIVE_REDIRECT_URI = 'http://127.0.0.1:8765/callback';
/**
 * The web app's: okta-oauth README's Express example (its redirect URIs and scopes, which reads `OKTA_CLIENT_CLIENTSECRET`),
 * the first of each; the second, the same app run on this machine.
 */
const WEB_APP = {
  redirectUris: ['https://app.example.com/callback', 'http://localhost:3000/callback'],
  postLogoutRedirectUris: ['https://app.example.com/', 'http://localhost:3000/'],
  scopes: ['openid', 'profile', 'offline_access', 'okta.users.read'],
};

/** What the CLI set up in the org it started. */
export interface CliOrg {
  org: OktaEmulator;
  credentials: Record<string, unknown>;
}

const USAGE = `Usage: okta-emulator [--port N] [--host H] [--users N] [--redirect-uri URL]... [--json]

Starts a local emulated Okta org and prints its URL and made-up credentials, with
ready-to-paste \`export\` lines: an API token (created by the admin), a service app
(private_key_jwt, DPoP required), a service app with a client secret (no DPoP, for
curl), a web sign-in app with a client secret, a SPA sign-in app and a native
sign-in app (the device grant).
  --port N            port to listen on (default 0: any free port)
  --host H            interface (default 127.0.0.1)
  --users N           seed N users user0001@example.com… (password ${SEED_PASSWORD}); default 5
  --redirect-uri URL  a redirect URI for the SPA (repeatable)
  --json              print the credentials as one JSON object
Stop with Ctrl-C.`;

/**
 * Start an org the way the `okta-emulator` command does and describe it.
 * @throws {OktaEmulatorError} `INVALID_OPTION` for a `--port` or `--users` it cannot use (`option`
 * is the flag); `main` prints the message and the usage and exits with 2.
 *
 * @example
 * ```ts
 * const { org, credentials } = await startCliOrg(['--port', '0', '--users', '3']);
 * console.log(credentials.url);
 * await org.close();
 * ```
 */
export async function startCliOrg(argv: string[]): Promise<CliOrg | undefined> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      users: { type: 'string', default: '5' },
      'redirect-uri': { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const port = flagNumber(values.port);
  if (typeof port !== 'number' || port > 65_535) invalidOption('okta-emulator', '--port', `must be a whole number from 0 to 65535 (0 picks a free port), not ${shown(values.port)}.`);
  // The rule of seed.users and seedUsers(n), worded for the flag.
  const users = checkUserCount(flagNumber(values.users), '--users', 'okta-emulator');

  const org = await startEmulator({ port, host: values.host, seed: { users } }).catch((error: unknown) => {
    throw asFlagError(error);
  });
  const admin = org.createUser({ login: 'admin@example.com', password: SEED_PASSWORD, firstName: 'Ada', lastName: 'Admin', admin: true });
  // Created by the admin: GET /api/v1/users/me with it returns the admin, as at Okta.
  const apiToken = org.createApiToken({ name: 'cli', user: admin.login });
  const service = org.createServiceApp({ scopes: SERVICE_SCOPES, requireDpop: true });
  // client_secret_basic and no DPoP (like an OIN integration): curl alone can get a token.
  const secretApp = org.createOinApp({ scopes: SERVICE_SCOPES });
  const redirectUris = values['redirect-uri'] ?? DEFAULT_REDIRECT_URIS;
  const spa = org.createSignInApp({
    type: 'spa',
    redirectUris,
    postLogoutRedirectUris: redirectUris.map((u) => new URL('/', u).toString()),
    scopes: ['okta.users.read', 'okta.groups.read'],
  });
  // A confidential web app (client_secret_basic), as okta-oauth's Express example signs in with.
  const web = org.createSignInApp({
    type: 'web',
    redirectUris: WEB_APP.redirectUris,
    postLogoutRedirectUris: WEB_APP.postLogoutRedirectUris,
    scopes: WEB_APP.scopes.filter((scope) => scope.startsWith('okta.')),
  });
  // Okta allows the device grant to native apps only.
  const native = org.createSignInApp({
    type: 'native',
    redirectUris: [NATIVE_REDIRECT_URI],
    scopes: ['okta.users.read', 'okta.groups.read'],
    label: 'okta-emulator native app',
  });
  return {
    org,
    credentials: {
      url: org.url,
      apiToken: { id: apiToken.id, token: apiToken.token },
      serviceApp: {
        clientId: service.clientId,
        keyId: service.keyId,
        scopes: SERVICE_SCOPES,
        requireDpop: true,
        privateKeyPem: service.privateKeyPem,
        privateJwk: service.privateJwk,
      },
      secretApp: { clientId: secretApp.clientId, clientSecret: secretApp.clientSecret, scopes: SERVICE_SCOPES, requireDpop: false },
      webApp: { clientId: web.clientId, clientSecret: web.clientSecret, redirectUris: WEB_APP.redirectUris, postLogoutRedirectUris: WEB_APP.postLogoutRedirectUris, scopes: WEB_APP.scopes },
      spa: { clientId: spa.clientId, redirectUris },
      native: { clientId: native.clientId, redirectUris: [NATIVE_REDIRECT_URI] },
      users: { admin: admin.login, seeded: users, password: SEED_PASSWORD },
    },
  };
}

/**
 * A port or host `startEmulator` refused (`startEmulator: port 8080 is in use …`, or a host it cannot
 * use), worded for the person who typed the command: the flag (`okta-emulator: --port 8080 is in use …`,
 * `option: '--port'`), as the flags' own checks say it; the advice and the cause kept. Rebuilt from what
 * the refusal was built of (`refusalOf`), by the same builder, never from its message. Anything else
 * goes on as it is.
 */
function asFlagError(error: unknown): unknown {
  const refusal = refusalOf(error);
  if (refusal?.where !== 'startEmulator' || (refusal.option !== 'port' && refusal.option !== 'host')) return error;
  return optionError('okta-emulator', `--${refusal.option}`, refusal.what, refusal.cause);
}

/**
 * The one reader of the command's numeric flags: digits only, as a number; anything else is returned
 * as typed, for the flag's check to refuse and quote ("many", not NaN). `Number()` alone reads "" and
 * "  " as 0, "0x10" as 16 and "1e3" as 1000: `--users ""` seeded nobody and `--port ""` took any port.
 */
function flagNumber(text: string): number | string {
  return /^\d{1,15}$/.test(text) ? Number(text) : text;
}

/** A shell word: single-quoted unless it is plainly safe. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `export NAME=value …` for a POSIX shell. */
export function exportLine(vars: Readonly<Record<string, string>>): string {
  return `export ${Object.entries(vars)
    .map(([name, value]) => `${name}=${shellWord(value)}`)
    .join(' ')}`;
}

/** What the command prints for a person: the org, each credential and its `export` line. */
export function describeCliOrg(c: Record<string, unknown>): string {
  const url = String(c.url);
  const s = c.serviceApp as { clientId: string; keyId: string; scopes: string[]; privateKeyPem: string; privateJwk: unknown };
  const secret = c.secretApp as { clientId: string; clientSecret: string; scopes: string[] };
  const web = c.webApp as { clientId: string; clientSecret: string; redirectUris: string[]; postLogoutRedirectUris: string[]; scopes: string[] };
  const spa = c.spa as { clientId: string; redirectUris: string[] };
  const native = c.native as { clientId: string; redirectUris: string[] };
  const u = c.users as { admin: string; seeded: number; password: string };
  const t = c.apiToken as { id: string; token: string };
  const ssws = exportLine({ OKTA_CLIENT_ORGURL: url, OKTA_CLIENT_TOKEN: t.token });
  const service = exportLine({
    OKTA_CLIENT_ORGURL: url,
    OKTA_CLIENT_AUTHORIZATIONMODE: 'PrivateKey',
    OKTA_CLIENT_CLIENTID: s.clientId,
    OKTA_CLIENT_SCOPES: s.scopes.join(' '),
    OKTA_CLIENT_KEYID: s.keyId,
    OKTA_CLIENT_PRIVATEKEY: JSON.stringify(s.privateJwk),
  });
  const webEnv = exportLine({
    OKTA_CLIENT_ORGURL: url,
    OKTA_CLIENT_CLIENTID: web.clientId,
    OKTA_CLIENT_CLIENTSECRET: web.clientSecret,
    OKTA_CLIENT_REDIRECTURI: web.redirectUris[0] ?? '',
    OKTA_CLIENT_POSTLOGOUTREDIRECTURI: web.postLogoutRedirectUris[0] ?? '',
    OKTA_CLIENT_SCOPES: web.scopes.join(' '),
  });
  return `Okta emulator running at ${url}  (org URL and issuer; http: pass allowInsecureLoopback: true to the packages)

API token (Authorization: SSWS …), created by ${u.admin} (GET /api/v1/users/me returns that admin)
  id:     ${t.id}
  token:  ${t.token}
${ssws}

Service app (client_credentials + private_key_jwt, DPoP required)
  client_id: ${s.clientId}
  key id:    ${s.keyId}
  scopes:    ${s.scopes.join(' ')}
  private key (PKCS#8):
${s.privateKeyPem.trimEnd()}
${service}

Service app with a client secret (client_credentials + client_secret_basic, no DPoP: works with curl)
  client_id:     ${secret.clientId}
  client_secret: ${secret.clientSecret}
  scopes:        ${secret.scopes.join(' ')}
  ${curlRecipe(url, secret.clientId, secret.clientSecret)}

Web sign-in app (authorization code + PKCE with a client secret: okta-oauth's Express example, signInClientFromEnv)
  client_id:     ${web.clientId}
  client_secret: ${web.clientSecret}
  redirect URIs: ${web.redirectUris.join(', ')}
  scopes:        ${web.scopes.join(' ')}
${webEnv}

SPA sign-in app (authorization code + PKCE, no secret)
  client_id:     ${spa.clientId}
  redirect URIs: ${spa.redirectUris.join(', ')}

Native sign-in app (device grant, or authorization code + PKCE; no secret)
  client_id:     ${native.clientId}
  redirect URIs: ${native.redirectUris.join(', ')}

Users (password ${u.password}): ${SEED_ADMIN_LOGIN} and ${u.admin} (admins)${u.seeded > 0 ? `, user0001@example.com … user${String(u.seeded).padStart(4, '0')}@example.com` : ''}

Admin API: ${url}/__emulator/*  (see the package README)
Press Ctrl-C to stop.
`;
}

/** Two commands: a token from the token endpoint with curl, then a call with it. */
export function curlRecipe(url: string, clientId: string, clientSecret: string): string {
  return [
    `ACCESS_TOKEN=$(curl -s -u ${shellWord(`${clientId}:${clientSecret}`)} -d grant_type=client_credentials -d scope=okta.users.read ${url}/oauth2/v1/token | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).access_token')`,
    `  curl -s -H "Authorization: Bearer $ACCESS_TOKEN" '${url}/api/v1/users?limit=2'`,
  ].join('\n');
}

/** The `okta-emulator` command: start, print, stay up until SIGINT/SIGTERM. */
export async function main(argv: string[]): Promise<void> {
  let started: CliOrg | undefined;
  try {
    started = await startCliOrg(argv);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (started === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { org, credentials } = started;
  process.stdout.write(argv.includes('--json') ? `${JSON.stringify(credentials, null, 2)}\n` : describeCliOrg(credentials));
  const stop = (): void => {
    org.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
