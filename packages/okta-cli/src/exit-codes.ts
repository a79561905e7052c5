import { isOktaApiError, isOktaAuthError } from '@org/okta-auth-core';
import { plain } from './io.js';
import { inCliWords } from './transport-flags.js';

/**
 * The exit codes of `okta-auth`, documented in the README. Scripts can
 * branch on them: `okta-auth api … || case $? in 4) okta-auth login ;; 7) create it ;; 8|9) retry later ;; esac`.
 * 7, 8 and 9 follow the CLI's own small codes (curl `--fail` says 22 for every HTTP error, `gh api`
 * and `kubectl` 1, `aws` 254: none tells "not there" from "Okta is down"); 126, 127 and 128 + a
 * signal are the shell's.
 */
export const ExitCode = {
  /** Everything worked (doctor: no check failed). */
  OK: 0,
  /** Okta refused the request for another reason (400, 409, 405…), an unreadable answer, output that cannot be written. */
  API_ERROR: 1,
  /** The command line is wrong: unknown command or option, a bad method, path or `--data`. */
  USAGE: 2,
  /** The configuration is missing or malformed: org URL, token, key, scopes, profile, okta.yaml. */
  CONFIG: 3,
  /** Authentication or authorization failed: a rejected token or client, a missing scope, sign-in needed. */
  AUTH: 4,
  /** No answer from Okta: connection refused or reset, DNS, timeout. */
  NETWORK: 5,
  /** `doctor` found at least one problem. */
  DOCTOR_FAILED: 6,
  /** Not there: Okta answered the API call 404 or 410 (no such user, group, app, or path). */
  NOT_FOUND: 7,
  /** Still rate limited (429) after the retries `--retries` and `--max-wait` allow, from any endpoint. */
  RATE_LIMITED: 8,
  /** Okta failed (5xx, 408) after the retries (a GET, PUT, HEAD or OPTIONS; a POST, PATCH or DELETE is sent once). */
  OKTA_FAILED: 9,
  /** Stopped by SIGHUP (the terminal or ssh session closed): 128 + 1. */
  HUNG_UP: 129,
  /** Interrupted (Ctrl-C): 128 + SIGINT's 2. */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM (`timeout`, a CI step's time limit, systemd, Kubernetes): 128 + 15. */
  TERMINATED: 143,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A problem the CLI itself reports, with the exit code it maps to. */
export class CliError extends Error {
  override name = 'CliError';
  readonly exitCode: ExitCodeValue;
  /** The CLI's own text printed after the message as it is (its usage), never cleaned into one line. */
  readonly help: string | undefined;

  constructor(exitCode: ExitCodeValue, message: string, options?: { cause?: unknown; help?: string }) {
    super(message, options);
    this.exitCode = exitCode;
    this.help = options?.help;
  }
}

/** A command-line mistake (exit 2). */
export function usageError(message: string, help?: string): CliError {
  return new CliError(ExitCode.USAGE, message, help === undefined ? {} : { help });
}

/** A configuration mistake (exit 3). */
export function configError(message: string): CliError {
  return new CliError(ExitCode.CONFIG, message);
}

const configCodes = new Set(['INVALID_ORG_URL', 'INVALID_CONFIG', 'INVALID_KEY', 'INVALID_TOKEN']);
const authCodes = new Set(['TOKEN_REQUEST_FAILED', 'DPOP_NOT_BOUND', 'LOGIN_REQUIRED', 'ACCESS_DENIED', 'DEVICE_CODE_EXPIRED', 'ID_TOKEN_INVALID', 'OAUTH_ERROR', 'STATE_MISMATCH', 'ISSUER_MISMATCH', 'INVALID_CALLBACK', 'INVALID_TRANSACTION', 'AUTHORIZATION_ERROR']);
const networkCodes = new Set(['NETWORK_ERROR', 'TIMEOUT']);

/** 8 for a 429, 9 for Okta's own failure (a 5xx or a 408), whichever endpoint answered; else `undefined`. */
function retryLater(status: unknown): ExitCodeValue | undefined {
  if (status === 429) return ExitCode.RATE_LIMITED;
  if (status === 408 || (typeof status === 'number' && status >= 500 && status <= 599)) return ExitCode.OKTA_FAILED;
  return undefined;
}

/** The exit code for any error the packages or the CLI throw. */
export function exitCodeOf(error: unknown): ExitCodeValue {
  if (error instanceof CliError) return error.exitCode;
  if (isOktaApiError(error)) {
    if (error.status === 401 || error.status === 403) return ExitCode.AUTH;
    if (error.status === 400 && /dpop|token/i.test(error.errorCode ?? '')) return ExitCode.AUTH;
    // Only the API call's own answer: a 404 of discovery or a token endpoint is a wrong org or app (an OAuth error below).
    if (error.status === 404 || error.status === 410) return ExitCode.NOT_FOUND;
    // RATE_LIMITED is also a window Okta said is spent, failed here (status 429, nothing sent).
    return retryLater(error.code === 'RATE_LIMITED' ? 429 : error.status) ?? ExitCode.API_ERROR;
  }
  if (isOktaAuthError(error)) {
    if (configCodes.has(error.code)) return ExitCode.CONFIG;
    const { status } = error as { status?: unknown };
    // A 429 (RATE_LIMITED) from any OAuth endpoint, discovery or the JWKS is still an answer from Okta: not AUTH.
    if (error.code === 'RATE_LIMITED') return ExitCode.RATE_LIMITED;
    // Okta failing (a 5xx answer to a token request, a revocation) refused nothing: signing in again would not help.
    if (authCodes.has(error.code)) return retryLater(status) ?? ExitCode.AUTH;
    if (networkCodes.has(error.code)) return ExitCode.NETWORK;
    if (error.code === 'ABORTED') return ExitCode.INTERRUPTED;
    // An absolute URL on another origin than the org's: the command line is wrong (nothing was sent).
    if (error.code === 'ORIGIN_MISMATCH') return ExitCode.USAGE;
    return retryLater(status) ?? ExitCode.API_ERROR;
  }
  return ExitCode.API_ERROR;
}

/**
 * The text printed on stderr for an error: the packages' own messages, which never hold a secret,
 * a library's advice in the CLI's words ({@link inCliWords}: the CLI's own quote what they were
 * given, a profile name, a path, and are left as they are), through core's one cleaner
 * ({@link plain}): a message quotes what it refused as given. An
 * `OktaApiError`'s message already quotes Okta's `errorCauses` (3 of them, the rest counted), so
 * they are not printed again. `profile`: the run's, named by a sign-in's end ({@link inCliWords}).
 */
export function describeError(error: unknown, profile?: string): string {
  if (error instanceof CliError || isOktaAuthError(error)) return plain(inCliWords(error, profile));
  // Not one of ours (a bug, a Node.js error): its message only, no stack, no cause chain.
  return `unexpected error: ${plain(error instanceof Error ? error.message : String(error))}`;
}
