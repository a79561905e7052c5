import { lstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { createOktaFetch, paginatePages } from '@org/okta-auth-core';
import { isOktaEmulatorError, SEED_PASSWORD, startEmulator } from '@org/okta-emulator';
import { createSswsCredential } from '@org/okta-ssws';
import { stringify } from 'yaml';
import { usageError } from '../exit-codes.js';
import { maxConfigFileBytes } from '../config/sources.js';
import { readSmallFile, writePrivateFile } from '../files.js';
import { out, say, type Io } from '../io.js';

const marker = '# Written by `okta-auth emulator`';

/** `okta-auth emulator`: a local emulated org, and an okta.yaml with a profile for every auth method. */
export async function runEmulator(io: Io, options: { port: string | undefined; write: string | undefined; cwd: string }): Promise<void> {
  const given = options.port ?? '0';
  // Digits only: Number() also reads "0x10", "1e3" and "" (as 16, 1000 and 0).
  const port = Number(given);
  if (!/^\d{1,5}$/.test(given) || port > 65_535) throw usageError(`--port must be a whole number from 0 to 65535, got "${given.slice(0, 20)}".`);
  const file = resolve(options.cwd, options.write ?? 'okta.yaml');
  const before = lstatSync(file, { throwIfNoEntry: false });
  // Its own earlier file only: not a link (which would be replaced, not followed), a folder or another file.
  if (before !== undefined && (!before.isFile() || readSmallFile(file, maxConfigFileBytes, 'okta.yaml')?.startsWith(marker) !== true)) {
    throw usageError(`${file} exists and was not written by okta-auth emulator: pass --write another.yaml (then run okta-auth from its folder, or copy the profiles).`);
  }
  let org: Awaited<ReturnType<typeof startEmulator>>;
  try {
    org = await startEmulator({ port, seed: { users: 250 } });
  } catch (error) {
    // Taken by another program (EADDRINUSE), or below 1024 without the privilege (EACCES): the
    // emulator's INVALID_OPTION naming `port`, the system's error kept as its cause.
    if (!isOktaEmulatorError(error) || error.option !== 'port') throw error;
    const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code !== 'string') throw error;
    throw usageError(`--port ${port} cannot be listened on (${code}): choose another port, or 0 for any free one.`);
  }
  const scopes = ['okta.users.read', 'okta.users.manage', 'okta.groups.read'];
  const dpopApp = org.createServiceApp({ scopes, requireDpop: true });
  const bearerApp = org.createServiceApp({ scopes, requireDpop: false, keyType: 'EC' });
  const oin = org.createOinApp({ scopes: ['okta.users.read', 'okta.groups.read'] });
  const redirectUri = 'http://127.0.0.1:8765/callback';
  const native = org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read', 'okta.groups.read'] });
  const admin = org.createUser({ login: 'admin@example.com', password: SEED_PASSWORD, firstName: 'Ada', lastName: 'Admin', admin: true });
  // Created by that admin, as at Okta: GET /api/v1/users/me with it answers the admin.
  const token = org.createApiToken({ name: 'okta-auth', user: admin.login });
  const service = (app: typeof dpopApp) => ({ orgUrl: org.url, authorizationMode: 'PrivateKey', clientId: app.clientId, keyId: app.keyId, scopes, privateKey: app.privateKeyPem });
  const doc = {
    okta: {
      client: { orgUrl: org.url, token: token.token },
      profiles: {
        'emulator-service': service(dpopApp),
        'emulator-service-bearer': service(bearerApp),
        'emulator-oin': { orgUrl: org.url, authorizationMode: 'ClientSecret', clientId: oin.clientId, clientSecret: oin.clientSecret, scopes: ['okta.users.read', 'okta.groups.read'] },
        'emulator-user': { orgUrl: org.url, authorizationMode: 'User', clientId: native.clientId, scopes: ['openid', 'profile', 'offline_access', 'okta.users.read'], redirectUri },
      },
    },
  };
  try {
    writePrivateFile(file, `${marker} for the local org at ${org.url}. Made-up credentials; delete when done.\n${stringify(doc)}`);
  } catch (error) {
    await org.close();
    throw error;
  }
  // The banner's count read from the org's Users API (seeded users, the admin above, the org's own super admin), never written in.
  const okta = createOktaFetch({ credential: createSswsCredential({ orgUrl: org.url, token: token.token, allowInsecureLoopback: true }) });
  let users = 0;
  for await (const page of paginatePages(okta, '/api/v1/users?limit=200')) users += page.items.length;
  // The org URL alone on stdout, for a script (`okta-auth emulator > org.txt &`); what to do with it on stderr.
  await out(io, `${org.url}\n`);
  say(
    io,
    `Okta emulator running at ${org.url} (${users} users; ${admin.login} is an admin, password ${SEED_PASSWORD}).
Wrote ${file} (mode 0600) with:
  the default profile     an API token                         okta-auth api GET /api/v1/users
  emulator-service        a service app, DPoP required         okta-auth --profile emulator-service doctor
  emulator-service-bearer a service app without DPoP (EC key)
  emulator-oin            an OIN app (client secret)
  emulator-user           a person: okta-auth --profile emulator-user login (approve as ${admin.login});
                          or login --browser (sign in as ${admin.login}; its callback on ${redirectUri})
Try a doctor finding: curl -XPOST ${org.url}/__emulator/api-tokens/${token.id}/revoke (revokes the token)
                    curl -XPOST ${org.url}/__emulator/clock -d '{"offsetSeconds":600}' (moves the org's clock)
Run okta-auth from ${resolve(file, '..')}. Press Ctrl-C to stop.`,
  );
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await org.close();
}
