import { createOktaFetch, isOktaApiError, isOktaAuthError, type OktaCredential } from '@org/okta-auth-core';
import { loadConfig, scopesOf, type CliConfig } from '../config/load.js';
import { buildCredential, restoreUser, type CliContext } from '../credential.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { shown, type Io } from '../io.js';
import { checkClock, checkOrgUrl, checkRateLimit, checkReachable } from '../doctor/org-checks.js';
import { proxyNamed } from '../proxy.js';
import { Report, type Finding } from '../doctor/report.js';
import { checkKeyOutsideFolder, checkSecretFiles } from '../doctor/secret-files.js';
import { checkClientCredentials } from '../doctor/service-checks.js';
import { inCliWords, loginCommand } from '../transport-flags.js';

/** The list call the doctor makes to prove the credential works: the first resource the scopes allow. */
function probePath(config: CliConfig): string | undefined {
  if (config.mode === 'SSWS') return '/api/v1/users?limit=1';
  const scopes = scopesOf(config, 'okta.users.read');
  if (scopes.some((s) => s.startsWith('okta.users.'))) return '/api/v1/users?limit=1';
  if (scopes.some((s) => s.startsWith('okta.groups.'))) return '/api/v1/groups?limit=1';
  return undefined;
}

async function credentialChecks(config: CliConfig, ctx: CliContext, add: (f: Finding) => Promise<void>): Promise<OktaCredential | undefined> {
  switch (config.mode) {
    case 'SSWS':
      try {
        return await buildCredential(config, ctx);
      } catch (error) {
        await add({ status: 'fail', title: 'API token', detail: (error as Error).message, fix: 'paste the token value exactly as Okta showed it, without "SSWS "' });
        return undefined;
      }
    case 'PrivateKey':
    case 'ClientSecret':
      return checkClientCredentials(config, ctx, add);
    case 'User': {
      try {
        const user = await restoreUser(config, ctx);
        await user.getAccessToken();
        const tokens = user.tokens;
        const minutes = tokens?.expiresAt === undefined ? undefined : Math.round((tokens.expiresAt - Date.now()) / 60_000);
        const who = user.claims?.preferred_username ?? user.claims?.sub;
        await add({
          status: 'ok',
          title: `Signed in${who === undefined ? '' : ` as ${shown(who)}`}`,
          detail: `scopes ${tokens?.scopes.join(' ') ?? '?'}${minutes === undefined ? '' : `; access token valid for ${minutes} more min`}; refresh token ${tokens?.refreshToken === undefined ? 'absent (ask for offline_access)' : 'kept'}`,
        });
        await add(
          tokens?.tokenType === 'DPoP'
            ? { status: 'ok', title: 'DPoP: the tokens are DPoP-bound', detail: 'a new proof is signed for every request with the key kept in the token file' }
            : { status: 'ok', title: 'DPoP: not used', detail: 'Bearer tokens (set dpop: true in the profile if the app requires DPoP)' },
        );
        return user;
      } catch (error) {
        await add({ status: 'fail', title: 'Signed-in user', detail: inCliWords(error), fix: `run ${loginCommand(config.profile)}` });
        return undefined;
      }
    }
  }
}

async function probe(credential: OktaCredential, path: string, ctx: CliContext, add: (f: Finding) => Promise<void>): Promise<{ headers?: Headers; error?: unknown }> {
  const okta = createOktaFetch({ ...ctx.transport, credential, retry: false });
  const title = `API call GET ${path}`;
  try {
    const response = await okta(path);
    await response.body?.cancel();
    await add({ status: 'ok', title, detail: `${response.status}: the ${credential.kind} credential works` });
    return { headers: response.headers };
  } catch (error) {
    if (isOktaApiError(error)) {
      const fix =
        error.missingScope !== undefined
          ? `add ${error.missingScope} to scopes (and grant it to the app)`
          : error.status === 401 && credential.kind === 'ssws'
            ? 'create a new token under Security > API > Tokens (tokens expire after 30 days unused)'
            : undefined;
      await add({ status: 'fail', title, detail: inCliWords(error), fix });
      return { error };
    }
    await add({ status: 'fail', title, detail: isOktaAuthError(error) ? inCliWords(error) : String(error) });
    return { error };
  }
}

/** `okta-auth doctor`: every check in order, each with what to fix; exit 6 when one fails. */
export async function runDoctor(ctx: CliContext, io: Io, profile: string | undefined): Promise<ExitCodeValue> {
  const report = new Report(io);
  const add = (f: Finding): Promise<void> => report.add(f);
  let config: CliConfig;
  try {
    config = loadConfig({ cwd: ctx.cwd, env: ctx.env, profile });
  } catch (error) {
    await add({ status: 'fail', title: 'Configuration', detail: (error as Error).message });
    await report.summary();
    return ExitCode.DOCTOR_FAILED;
  }
  await add({
    status: 'ok',
    title: `Configuration: profile ${config.profile}, authorizationMode ${config.mode}`,
    detail: `mode from ${config.modeSource}; files read: ${config.files.length === 0 ? 'none' : config.files.join(', ')}`,
  });
  const exposed = checkSecretFiles(config, ctx.cwd);
  if (exposed !== undefined) await add(exposed);
  const outside = checkKeyOutsideFolder(config, ctx.cwd);
  if (outside !== undefined) await add(outside);
  const { finding, org } = checkOrgUrl(config.orgUrl.value, config.orgUrl.source);
  await add(finding);
  if (org === undefined) return finish(report);
  const reach = await checkReachable(org, ctx.transport.fetch ?? globalThis.fetch, proxyNamed(ctx.env, org.origin));
  await add(reach.finding);
  if (reach.finding.status === 'fail' && reach.skewSeconds === undefined) return finish(report);
  await add(checkClock(reach.skewSeconds));
  const credential = await credentialChecks(config, ctx, add);
  const path = probePath(config);
  if (credential === undefined || path === undefined) {
    await add({ status: 'skip', title: 'API call and rate limit', detail: credential === undefined ? 'the credential is not usable yet' : 'no okta.users.* or okta.groups.* scope to try' });
    return finish(report);
  }
  const result = await probe(credential, path, ctx, add);
  const info = isOktaApiError(result.error) ? result.error.rateLimit : undefined;
  await add(checkRateLimit(result.headers, info, path.split('?')[0] ?? path, reach.skewSeconds));
  return finish(report);
}

async function finish(report: Report): Promise<ExitCodeValue> {
  await report.summary();
  return report.failed === 0 ? ExitCode.OK : ExitCode.DOCTOR_FAILED;
}
