/**
 * docs/SECURITY.md's Bounds table (and docs/ARCHITECTURE.md's long-lived state, for the collections it
 * holds) read against the code: each bound's value, read from its source file, is what the row says;
 * and every bound constant of the library packages (a top-level `const` named `max…`, `…Limit`,
 * `…Bytes`, `…Ms`, `…Seconds`, `…Length`, `…Chars`, `…Kept`) is pinned here or set aside with a
 * reason, so a new bound cannot land without a row (thirty-ninth session, "The docs read against the
 * code", docs/security-history.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const security = read('docs/SECURITY.md');
const architecture = read('docs/ARCHITECTURE.md');
const bounds = security.slice(security.indexOf('\n## Bounds'), security.indexOf('\n## Rate limits and retries'));

/** The table row whose first cell holds `what`: exactly one. */
function row(doc: string, what: string): string {
  const rows = doc.split('\n').filter((line) => line.startsWith('| ') && line.split(' | ')[0]!.includes(what));
  expect(rows, `one row of "${what}"`).toHaveLength(1);
  return rows[0]!;
}

/** A numeric literal expression of the code (`65_536`, `32 * 1024 * 1024`, `2 ** 31 - 1`): differences of products of powers. */
function evaluate(expression: string): number {
  const text = expression.replaceAll('_', '').trim();
  expect(text, 'a numeric expression').toMatch(/^\d[\d\s.*-]*$/);
  const product = (term: string): number =>
    term.split(/(?<!\*) \* (?!\*)/).reduce((total, factor) => total * factor.split('**').map(Number).reduceRight((exponent, base) => base ** exponent), 1);
  const [first, ...rest] = text.split(' - ').map(product);
  return rest.reduce((total, term) => total - term, first!);
}

/** The value of the top-level `const name = …;` in `file` (the one the check below finds, not a local of that name), or of the first capture of `pattern`. */
function valueIn(file: string, find: string | RegExp): number {
  const source = read(file);
  const pattern = typeof find === 'string' ? new RegExp(`^(?:export )?const ${find}(?::[^=]+)? = ([^;]+);`, 'm') : find;
  const match = pattern.exec(source);
  expect(match, `${String(find)} in ${file}`).not.toBeNull();
  return evaluate(match![1]!);
}

/**
 * `text` as a pattern that finds it in a row with its numbers whole: a number at either end of it
 * is not part of a longer one (`0 to 2` is not in "0 to 20", nor `2 MiB` in "32 MiB").
 */
function whole(text: string): RegExp {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${/^\d/.test(text) ? '(?<!\\d|\\d[.,])' : ''}${escaped}${/\d$/.test(text) ? '(?!\\d|[.,]\\d)' : ''}`);
}

const n = (value: number): string => value.toLocaleString('en-US');
const kib = (bytes: number): string => `${bytes / 1024} KiB`;
const mib = (bytes: number): string => `${bytes / 1024 / 1024} MiB`;
const s = (ms: number): string => `${ms / 1000} s`;

const core = 'packages/okta-auth-core/src/';
const oauth = 'packages/okta-oauth/src/';
const redis = 'packages/okta-token-store-redis/src/';
const cli = 'packages/okta-cli/src/';
/** The CLI's row of its transport flags (their defaults are core's, pinned above). */
const cliFlags = '`--timeout`; `--max-wait`; `--retries`';

interface Pin {
  readonly file: string;
  /** A constant's name, or a pattern whose first group is the value. */
  readonly find: string | RegExp;
  /** The first cell of the row, in docs/SECURITY.md's Bounds (or docs/ARCHITECTURE.md's table with `architecture`). */
  readonly row: string;
  readonly text: (value: number) => string;
  readonly architecture?: true;
}

const pins: readonly Pin[] = [
  { file: `${core}request/abort.ts`, find: 'maxTimerMs', row: 'Any sleep or timer', text: (v) => (v === 2 ** 31 - 1 ? '2^31−1 ms' : `${v} ms`) },
  { file: `${core}config/transport.ts`, find: 'defaultTimeoutMs', row: 'One attempt, body included', text: (v) => `default ${s(v)}` },
  { file: `${core}config/transport.ts`, find: /maxWaitMs \?\? ([\d_]+)/, row: '429 waits in all', text: (v) => `default ${s(v)}` },
  { file: `${core}config/transport.ts`, find: /\.limit`, (\d+), \[/, row: '429 retries', text: (v) => `default ${v}` },
  { file: `${core}config/transport.ts`, find: /\.limit`, \d+, \[0, (\d+)\]/, row: '429 retries', text: (v) => `0 to ${v}` },
  { file: `${core}request/status-retry.ts`, find: 'statusRetryLimit', row: 'Other retries', text: (v) => `${['no', 'one', 'two', 'three'][v]} retries of a 408` },
  { file: `${core}request/status-retry.ts`, find: /return Math\.min\((\d+) \* 2/, row: 'Other retries', text: (v) => `(${v / 1000} s, ${(2 * v) / 1000} s;` },
  { file: `${core}rate-limit/in-flight-limit.ts`, find: /'createInFlightLimit\(max\)', Number\.NaN, \[1, (\d+)\]/, row: 'The wait for a slot', text: (v) => `1 to ${v} slots` },
  { file: `${core}rate-limit/rate-limit-coordinator.ts`, find: /checkDuration\(given\.timeoutMs, 'timeoutMs', (\d+)/, row: 'One coordinator call', text: (v) => `${v} ms when it declares none` },
  { file: `${core}config/rate-limit-options.ts`, find: 'maxCoordinatorTimeoutMs', row: 'One coordinator call', text: (v) => `(1 ms to ${s(v)};` },
  { file: `${core}config/rate-limit-options.ts`, find: /boundMs \+ (\d+)/, row: 'One coordinator call', text: (v) => `bound plus ${v} ms` },
  { file: `${core}rate-limit/rate-limit-coordinator.ts`, find: 'maxRounds', row: "A rate-limit coordinator's wait", text: (v) => `at most ${v} rounds` },
  { file: `${core}rate-limit/rate-limit-coordinator.ts`, find: 'pollMs', row: "A rate-limit coordinator's wait", text: (v) => `waits average ${v} ms or more` },
  { file: `${core}errors/answer.ts`, find: 'maxAnswerBytes', row: 'A page of `paginate`', text: (v) => `${mib(v)} of text` },
  { file: `${core}errors/answer.ts`, find: 'maxAnswerBytes', row: "An answer's body handed to you", text: (v) => `| ${mib(v)}, decompressed` },
  { file: `${core}pagination/page.ts`, find: 'rememberedPages', row: 'Pages remembered', text: (v) => `the last ${v},` },
  { file: `${core}pagination/poll-system-log.ts`, find: 'maxUuidLength', row: 'System Log event `uuid`', text: (v) => `1 to ${v} characters` },
  { file: `${core}pagination/poll-system-log.ts`, find: 'rememberedEvents', row: 'System Log events remembered', text: (v) => `| ${n(v)} |` },
  { file: `${core}pagination/poll-system-log.ts`, find: /'intervalMs', ([\d_]+),/, row: '`pollSystemLog` interval', text: (v) => `default ${s(v)}` },
  { file: `${core}errors/answer.ts`, find: 'maxErrorBodyBytes', row: 'Error body', text: (v) => `${kib(v)} read` },
  { file: `${core}errors/printable.ts`, find: /max = (\d+)\): string/, row: 'Echoed text in messages', text: (v) => `| ${v} (\`OktaApiError\`` },
  { file: `${core}errors/error-body.ts`, find: /said\.slice\(0, (\d+)\)/, row: 'Echoed text in messages', text: (v) => `at most ${v} \`errorCauses\`` },
  { file: `${core}headers/scope.ts`, find: 'maxScopeLength', row: 'A granted or challenged scope list', text: (v) => `${n(v)} characters` },
  { file: `${core}headers/link-header.ts`, find: 'maxLinkHeaderLength', row: '`Link` header', text: (v) => `| ${kib(v)} |` },
  { file: `${core}headers/www-authenticate.ts`, find: 'maxHeaderLength', row: '`WWW-Authenticate` header', text: (v) => `| ${kib(v)} |` },
  { file: 'packages/okta-ssws/src/validate-token.ts', find: /token\.length >= (\d+)/, row: 'API token', text: (v) => `${v} to ` },
  { file: 'packages/okta-ssws/src/validate-token.ts', find: /token\.length <= (\d+)/, row: 'API token', text: (v) => ` to ${v} characters` },
  { file: `${oauth}user/context.ts`, find: 'defaultTimeoutMs', row: "A sign-in client's `storage` call", text: (v) => `${s(v)} by default` },
  { file: `${oauth}user/id-token-key-set.ts`, find: 'keySetCooldownMs', row: 'ID token key set', text: (v) => `${s(v)} cooldown` },
  { file: `${oauth}user/id-token-key-set.ts`, find: 'defaultKeySetMaxAgeMs', row: 'ID token key set', text: (v) => `default ${v / 60_000} min` },
  { file: `${oauth}user/id-token-key-set.ts`, find: 'keySetMaxAgeLimitMs', row: 'ID token key set', text: (v) => (v === 86_400_000 ? '0 to a day' : `0 to ${v} ms`) },
  { file: `${oauth}user/transaction-sweep.ts`, find: 'maxScanned', row: 'Sign-in transactions listed', text: (v) => `looks at ${v} Web Storage keys` },
  { file: `${oauth}user/transaction-sweep.ts`, find: 'maxRead', row: 'Sign-in transactions listed', text: (v) => `reads ${v}` },
  { file: `${oauth}user/transaction-list.ts`, find: 'maxListed', row: 'Sign-in transactions listed', text: (v) => `${v} per client` },
  { file: `${oauth}user/sign-in-build.ts`, find: /transactionMaxAgeSeconds, (\d+),/, row: "A sign-in transaction's age", text: (v) => `default ${n(v)} s` },
  { file: `${oauth}user/sign-in-build.ts`, find: /clockSkewSeconds, (\d+),/, row: 'ID token clock checks', text: (v) => `default ${v} s` },
  { file: `${oauth}user/device-poll.ts`, find: 'maxIntervalSeconds', row: 'Device sign-in', text: (v) => `\`interval\` 0 to ${v} s` },
  { file: `${oauth}user/device.ts`, find: 'maxExpiresInSeconds', row: 'Device sign-in', text: (v) => `at most ${n(v)} s` },
  { file: `${oauth}user/device.ts`, find: /interval = given \?\? (\d+)/, row: 'Device sign-in', text: (v) => `(default ${v};` },
  { file: `${oauth}user/device.ts`, find: 'maxUserCodeLength', row: 'Device `user_code`', text: (v) => `| ${v} (letters` },
  { file: `${oauth}user/device.ts`, find: /device_code\.length > (\d+)/, row: 'Device `user_code`', text: (v) => `, ${n(v)}, ` },
  { file: `${oauth}user/device.ts`, find: 'maxVerificationUriLength', row: 'Device `user_code`', text: (v) => `, ${n(v)} characters` },
  { file: `${oauth}user/http.ts`, find: 'maxAnswerBytes', row: 'Token, discovery, JWKS', text: (v) => `| ${mib(v)} |` },
  { file: `${oauth}user/web-lock.ts`, find: 'lockSettleMs', row: 'The renewal Web Lock', text: (v) => `${s(v)} settle time` },
  { file: `${oauth}user/callback-flights.ts`, find: 'maxRemembered', row: 'callback flights', text: (v) => `${n(v)} used`, architecture: true },
  { file: 'packages/okta-emulator/src/storage-check/check-storage.ts', find: 'maxCheckStepMs', row: '`checkOktaStorage`', text: (v) => `at most ${v / 60_000} minutes` },
  { file: 'packages/okta-emulator/src/storage-check/check-storage.ts', find: 'defaultStepTimeoutMs', row: '`checkOktaStorage`', text: (v) => `default ${s(v)}` },
  { file: 'packages/okta-emulator/src/storage-check/check-storage.ts', find: 'maxCheckValueChars', row: '`checkOktaStorage`', text: (v) => `at most ${n(v)}` },
  { file: 'packages/okta-emulator/src/storage-check/check-storage.ts', find: 'defaultValueChars', row: '`checkOktaStorage`', text: (v) => `default ${n(v)}` },
  { file: 'packages/okta-emulator/src/controls/request-log.ts', find: 'REQUEST_LOG_ENTRIES', row: 'request log', text: (v) => `the last ${n(v)} requests`, architecture: true },
  { file: `${oauth}user/spent-tokens.ts`, find: 'spentTokensKept', row: 'Refresh tokens other tabs spent', text: (v) => `the last ${v} SHA-256s` },
  { file: `${oauth}user/pushed-authorization.ts`, find: 'maxRequestUriLength', row: "A PAR answer's", text: (v) => `at most ${v} characters` },
  { file: `${oauth}user/pushed-authorization.ts`, find: 'maxExpiresInSeconds', row: "A PAR answer's", text: (v) => `1 to ${v} whole seconds` },
  { file: `${oauth}token-endpoint/token-response.ts`, find: 'maxTokenAnswerBytes', row: 'Token, discovery, JWKS', text: (v) => `| ${mib(v)} |` },
  { file: `${oauth}token-endpoint/token-response.ts`, find: 'maximumLifetimeSeconds', row: 'Token lifetime', text: (v) => ` to ${v / 86_400} days` },
  { file: `${oauth}token-endpoint/token-response.ts`, find: 'minimumLifetimeSeconds', row: 'Token lifetime', text: (v) => `| ${v} s to ` },
  { file: `${oauth}token-endpoint/token-response.ts`, find: 'maxAccessTokenLength', row: 'Each of `access_token`', text: (v) => `${kib(v)} of printable ASCII` },
  { file: `${oauth}token-endpoint/token-error.ts`, find: /shownField\(error, (\d+)/, row: 'Echoed text in messages', text: (v) => `${v} (\`error\`)` },
  { file: `${oauth}token-endpoint/token-error.ts`, find: /shownField\(description, (\d+)/, row: 'Echoed text in messages', text: (v) => `${v} (\`error_description\`)` },
  { file: `${oauth}token-cache/fleet.ts`, find: 'defaultFleetWaitMs', row: "Waiting for another process's token", text: (v) => `${s(v)} in the token cache` },
  { file: `${oauth}token-cache/storage.ts`, find: 'maxStorageTimeoutMs', row: "A service or OIN credential's token-store", text: (v) => `1 ms to ${s(v)}` },
  { file: `${oauth}token-cache/storage.ts`, find: 'maxStorageFleetWaitMs', row: 'Token file lock', text: (v) => (v === 3_600_000 ? 'at most an hour' : String(v)) },
  { file: `${oauth}token-cache/bounded-store.ts`, find: 'defaultStoreTimeoutMs', row: "A service or OIN credential's token-store", text: (v) => `| ${s(v)}, or` },
  { file: `${oauth}token-cache/renewal.ts`, find: 'renewalFloorMs', row: 'Renewal before expiry', text: (v) => `max(${s(v)}, ` },
  { file: `${oauth}token-cache/renewal.ts`, find: 'renewalShare', row: 'Renewal before expiry', text: (v) => `, ${v * 100} % of the lifetime` },
  { file: `${oauth}token-cache/renewal.ts`, find: 'renewalCap', row: 'Renewal before expiry', text: (v) => (v === 0.5 ? 'at most half the lifetime' : String(v)) },
  { file: `${oauth}token-cache/token-cache.ts`, find: 'renewalPauseMs', row: 'Early renewal', text: (v) => `paused ${s(v)}` },
  { file: `${oauth}token-cache/token-store.ts`, find: /'maxEntries', ([\d_]+),/, row: 'Memory token store, memory storage', text: (v) => `default ${n(v)} and` },
  { file: `${oauth}user/storage.ts`, find: 'defaultMemoryEntries', row: 'Memory token store, memory storage', text: (v) => ` and ${v}, each` },
  { file: `${oauth}multi-org.ts`, find: /'idleMs', ([\d_ *]+),/, row: '`createMultiOrgCredentials` idle', text: (v) => `default ${v / 60_000} min` },
  { file: `${oauth}multi-org.ts`, find: /'maxOrgs', ([\d_]+),/, row: 'Orgs held', text: (v) => `default ${n(v)}` },
  { file: `${oauth}client-auth/assertion.ts`, find: 'clientAssertionLifetimeSeconds', row: 'Client assertion lifetime', text: (v) => `| ${v} s |` },
  { file: `${oauth}client-auth/client-auth.ts`, find: 'maxSecretsListed', row: "A `ClientAuth`'s `secrets()` list", text: (v) => `at most ${v} entries` },
  { file: `${oauth}client-auth/key-algorithm.ts`, find: 'minimumRsaBits', row: 'RSA client and DPoP keys', text: (v) => `${n(v)} bits at least` },
  { file: `${oauth}dpop/dpop-session.ts`, find: 'maxNonceLength', row: '`DPoP-Nonce`', text: (v) => `| ${v} characters` },
  { file: `${oauth}dpop/browser-dpop-key.ts`, find: 'maxNameLength', row: "A browser's DPoP key", text: (v) => `\`name\` at most ${v} characters` },
  { file: `${oauth}internal/validate.ts`, find: 'maxScopeParameter', row: 'A requested scope list', text: (v) => `| ${n(v)} characters as sent` },
  { file: `${oauth}internal/validate.ts`, find: /\{1,(\d+)\}\$\/\.test\(id\)/, row: '`keyId`, a signer', text: (v) => `1 to ${v} characters` },
  { file: `${oauth}internal/validate.ts`, find: /\.slice\(0, (\d+)\)/, row: 'A refused `scopes` entry', text: (v) => `quoted up to ${v} characters` },
  { file: `${oauth}internal/validate.ts`, find: /const secretRun = \/\[[^\]]+\]\{(\d+)\}\//, row: 'A refused `scopes` entry', text: (v) => `${v} or more token characters` },
  { file: `${oauth}internal/server-clock.ts`, find: 'maxOffsetMs', row: "The org's clock", text: (v) => (v === 86_400_000 ? 'up to a day off' : `up to ${v} ms off`) },
  { file: `${oauth}internal/server-clock.ts`, find: /Math\.abs\(offset\) < (\d+)/, row: "The org's clock", text: (v) => `0 within ${s(v)}` },
  { file: `${oauth}internal/server-clock.ts`, find: 'skewRetryThresholdMs', row: "The org's clock", text: (v) => `correction is over ${s(v)}` },
  { file: `${redis}encryption.ts`, find: 'maxEntryChars', row: 'A Redis entry', text: (v) => `${kib(v)} sealed` },
  { file: `${core}config/duration.ts`, find: 'maxDurationMs', row: 'Redis store durations', text: (v) => (v === 365 * 86_400_000 ? '1 ms to a year' : `1 ms to ${v} ms`) },
  { file: `${redis}redis-token-storage.ts`, find: /maxWaitMs, (\d+),/, row: "Waiting for another process's token", text: (v) => `\`maxWaitMs\`, default ${s(v)}` },
  { file: `${redis}redis-token-storage.ts`, find: /lockTtlMs, (\d+),/, row: 'Redis store durations', text: (v) => `\`lockTtlMs\` ${s(v)}` },
  { file: `${redis}redis-token-storage.ts`, find: /defaultTtlMs, ([\d_ *]+),/, row: 'Redis store durations', text: (v) => `\`defaultTtlMs\` ${v / 86_400_000} days` },
  { file: `${redis}redis-token-storage.ts`, find: /pauseAfterFailureMs, (\d+),/, row: 'Redis store durations', text: (v) => `\`pauseAfterFailureMs\` ${s(v)}` },
  { file: `${redis}redis-token-storage.ts`, find: /connect\(options, \{ timeoutMs: (\d+)/, row: 'One Redis command', text: (v) => `default ${v} ms (store` },
  { file: `${redis}rate-limit-coordinator.ts`, find: /connect\(options, \{ timeoutMs: (\d+)/, row: 'One Redis command', text: (v) => `${v} ms (coordinator)` },
  { file: `${core}config/rate-limit-options.ts`, find: /'windowMs', ([\d_]+),/, row: 'Redis store durations', text: (v) => `\`windowMs\` ${s(v)}` },
  { file: `${core}config/rate-limit-options.ts`, find: 'maxCount', row: 'A rate-limit count', text: (v) => `at most ${n(v)}` },
  { file: `${core}config/outage-log.ts`, find: 'outageReportMs', row: "A coordinator's own logger's events during an outage", text: (v) => `at most one every ${s(v)} (\`outageReportMs\`)` },
  { file: `${core}rate-limit/buckets.ts`, find: 'maxBuckets', row: 'Rate-limit buckets of `createMemoryRateLimitCoordinator`', text: (v) => `| \`maxBuckets\`, default ${n(v)}, each keyed` },
  { file: `${core}config/count.ts`, find: 'maxKept', row: 'Rate-limit buckets of `createMemoryRateLimitCoordinator`', text: (v) => `a whole number from 1 to ${n(v)}, else` },
  { file: `${core}config/count.ts`, find: 'maxKept', row: 'Memory token store, memory storage', text: (v) => `each a whole number from 1 to ${n(v)}, else` },
  { file: `${core}config/count.ts`, find: 'maxKept', row: 'Orgs held', text: (v) => `a whole number from 1 to ${n(v)}, else` },
  { file: `${oauth}user/user-fleet.ts`, find: 'spentKept', row: 'Refresh tokens a user credential remembers as spent', text: (v) => `the last ${v} it renewed from` },
  { file: `${cli}transport-flags.ts`, find: /timeout: \{[^}]*min: (\d+)/, row: cliFlags, text: (v) => `whole seconds, ${v} to 3,600 (default 30)` },
  { file: `${cli}transport-flags.ts`, find: /timeout: \{[^}]*max: (\d+)/, row: cliFlags, text: (v) => `whole seconds, 1 to ${n(v)} (default 30)` },
  { file: `${cli}transport-flags.ts`, find: /'max-wait': \{[^}]*max: (\d+)/, row: cliFlags, text: (v) => `whole seconds, 0 to ${n(v)} (default 65)` },
  { file: `${cli}transport-flags.ts`, find: /retries: \{[^}]*max: (\d+)/, row: cliFlags, text: (v) => `; 0 to ${v} (default 2)` },
  { file: `${cli}lock-age.ts`, find: /staleMs: ([\d_]+) \}/, row: 'Token file lock', text: (v) => `a lock untouched for ${s(v)} is stale` },
  { file: `${cli}lock-age.ts`, find: 'maxLockAheadMs', row: 'Token file lock', text: (v) => `dated more than ${s(v)} ahead of the run's clock is stale at once` },
];

/** Bound-named constants that need no row, and why. */
const setAside: Readonly<Record<string, string>> = {
  [`${core}errors/api-error.ts maxBodyChars`]: 'maxErrorBodyBytes under another name (the error body row)',
  [`${oauth}client-auth/assertion.ts ecSignatureBytes`]: "each algorithm's signature size, not a bound on input",
  [`${oauth}token-endpoint/client-hint.ts dayMs`]: 'when an invalid_client hint names the host clock (a gap over a day): a choice of message, not a bound on input',
  [`${oauth}client-auth/jwk-input.ts curveBytes`]: "a function: an EC curve's coordinate size, not a bound on input",
};

const boundName = /^(max[A-Z]\w*|maximum\w*|minimum\w*|\w+(Limit|Bytes|Ms|Seconds|Length|Chars|Kept))$/;

function libraryFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'test-helpers' ? [] : libraryFiles(`${path}/`);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('docs/SECURITY.md, Bounds, against the code', () => {
  it.each(pins.map((pin) => [`${relative('packages', pin.file)} ${String(pin.find)}`, pin] as const))('%s', (_, pin) => {
    const value = valueIn(pin.file, pin.find);
    expect(row(pin.architecture ? architecture : bounds, pin.row)).toMatch(whole(pin.text(value)));
  });

  it('has a row for every bound constant of the library packages', () => {
    const pinned = new Set(pins.map((pin) => `${pin.file} ${String(pin.find)}`));
    const unpinned = [core, 'packages/okta-ssws/src/', oauth, redis]
      .flatMap(libraryFiles)
      .flatMap((file) => [...read(file).matchAll(/^(?:export )?const (\w+)\b/gm)].map((match) => `${file} ${match[1]}`))
      .filter((key) => boundName.test(key.split(' ')[1]!) && !pinned.has(key) && !(key in setAside));
    expect(unpinned).toEqual([]);
  });
});
