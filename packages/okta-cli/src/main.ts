import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CliContext } from './credential.js';
import { CliError, describeError, exitCodeOf, ExitCode, usageError, type ExitCodeValue } from './exit-codes.js';
import { say, type Io } from './io.js';
import { transportOptions } from './transport-flags.js';
import { usage } from './usage.js';

// Each command's module (and what it brings: the emulator, the browser sign-in, the OAuth client,
// yaml, undici for a proxy) is imported when that command runs, never on start: `okta-auth --version`
// loads none of them. Types are imported statically; they are gone from the built JavaScript.

const options = {
  profile: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  data: { type: 'string', short: 'd' },
  paginate: { type: 'boolean' },
  ndjson: { type: 'boolean' },
  follow: { type: 'boolean' },
  interval: { type: 'string' },
  browser: { type: 'boolean' },
  'no-browser': { type: 'boolean' },
  port: { type: 'string' },
  write: { type: 'string' },
  timeout: { type: 'string' },
  'max-wait': { type: 'string' },
  retries: { type: 'string' },
} as const;

/** Options that belong to one command. */
const commandFlags: Record<string, string> = { data: 'api', paginate: 'api', ndjson: 'api', follow: 'api', interval: 'api', browser: 'login', 'no-browser': 'login', port: 'emulator', write: 'emulator' };

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function parse(argv: readonly string[]): ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; args: string[] }>> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(`${(error as Error).message.split('\n')[0] ?? 'bad arguments'} (okta-auth --help lists the options)`);
  }
}

async function run(argv: readonly string[], io: Io, env: Readonly<Record<string, string | undefined>>, cwd: string, seen: { orgUrl?: string }): Promise<ExitCodeValue> {
  const { values, positionals } = parse(argv);
  if (values.version === true) {
    io.stdout.write(`${version()}\n`);
    return ExitCode.OK;
  }
  const [command, ...rest] = positionals;
  if (values.help === true || command === 'help') {
    io.stdout.write(usage);
    return ExitCode.OK;
  }
  if (command === undefined) throw usageError('a command is needed.', usage);
  const limits = transportOptions(values, usageError);
  // Behind a proxy (HTTPS_PROXY, …), every request goes through it; --verbose shows each one on its way.
  // `emulator` sends nothing: a proxy variable it could not use is no reason to refuse it.
  const proxied = command === 'emulator' ? undefined : await (await import('./proxy.js')).proxyFetch(env);
  const fetch = values.verbose === true ? (await import('./verbose.js')).verboseFetch((line) => { say(io, line); }, () => proxied ?? globalThis.fetch) : proxied;
  const ctx: CliContext = {
    cwd,
    env,
    transport: {
      userAgent: `okta-auth-cli/${version()}`,
      ...limits,
      ...(fetch === undefined ? {} : { fetch }),
    },
  };
  const noArgs = (): void => {
    if (rest.length > 0) throw usageError(`${command} takes no arguments; unexpected "${rest[0] ?? ''}".`);
  };
  /** The profile's configuration (`config/load.ts`, yaml with it), read by the commands that use one when they run. */
  const profileConfig = async () => {
    const config = (await import('./config/load.js')).loadConfig({ cwd, env, profile: values.profile });
    seen.orgUrl = config.orgUrl.value.trim();
    return config;
  };
  for (const [flag, only] of Object.entries(commandFlags)) {
    if (values[flag as keyof typeof values] !== undefined && only !== command) throw usageError(`--${flag} goes with okta-auth ${only}, not ${command}.`);
  }
  switch (command) {
    case 'api': {
      const { checkApiArgs, runApi } = await import('./commands/api.js');
      const { buildCredential } = await import('./credential.js');
      const api = checkApiArgs(rest, { data: values.data, paginate: values.paginate === true, ndjson: values.ndjson === true, follow: values.follow === true, interval: values.interval });
      await runApi(api, await buildCredential(await profileConfig(), ctx), ctx, io);
      return ExitCode.OK;
    }
    case 'login': {
      noArgs();
      const signIn = values.browser === true ? (await import('./commands/login-browser.js')).runBrowserLogin : (await import('./commands/login.js')).runLogin;
      await signIn(await profileConfig(), ctx, io, { noBrowser: values['no-browser'] === true });
      return ExitCode.OK;
    }
    case 'logout': {
      noArgs();
      const { runLogout } = await import('./commands/login.js');
      await runLogout(await profileConfig(), ctx, io);
      return ExitCode.OK;
    }
    case 'doctor': {
      noArgs();
      const { runDoctor } = await import('./commands/doctor.js');
      return runDoctor(ctx, io, values.profile);
    }
    case 'emulator': {
      noArgs();
      const { runEmulator } = await import('./commands/emulator.js');
      await runEmulator(io, { port: values.port, write: values.write, cwd });
      return ExitCode.OK;
    }
    default:
      throw usageError(`unknown command "${command.slice(0, 40)}": use api, login, logout, doctor or emulator (okta-auth --help).`);
  }
}

/** The run's profile (`--profile`, else `OKTA_AUTH_PROFILE`, else `default`), as the configuration reads it; `default` when the command line does not parse. */
function profileOf(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string {
  try {
    return parse(argv).values.profile ?? env.OKTA_AUTH_PROFILE ?? 'default';
  } catch {
    return 'default';
  }
}

/**
 * Runs `okta-auth` with the given arguments and returns its exit code.
 * Errors go to stderr as the packages' typed messages, which never hold a secret.
 */
export async function main(argv: readonly string[], io: Io, env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<ExitCodeValue> {
  const seen: { orgUrl?: string } = {};
  try {
    return await run(argv, io, env, cwd, seen);
  } catch (error) {
    // No answer behind a proxy may be the proxy's failure: which variable named it.
    const via = exitCodeOf(error) === ExitCode.NETWORK ? (await import('./proxy.js')).proxyNamed(env, seen.orgUrl) : undefined;
    say(io, `okta-auth: ${describeError(error, profileOf(argv, env))}${via === undefined ? '' : ` Sent ${via}: check that proxy too.`}`);
    if (error instanceof CliError && error.help !== undefined) io.stderr.write(`\n${error.help}`);
    return exitCodeOf(error);
  }
}
