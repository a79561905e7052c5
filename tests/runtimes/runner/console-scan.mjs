// What the console got of the inspect case (src/cases/inspect.js): each runtime's output
// (stdout and stderr; workerd's log; Chromium's DevTools protocol events, with each object's
// preview and first expansion; Firefox's WebDriver BiDi log entries, each argument serialized; not WebKit's: WebDriver classic carries no console, runtimes.mjs) must hold none of the fixture's secrets, and must hold the
// case's lines: a case that logged nothing did not run, and that is a failure too.
import { CONSOLE_MARKER, HOLDER_NAMES } from '../src/cases/inspect.js';

/** The fixture's secrets: the inspect case's own (all start with inspectSecret), the API tokens, the private keys, the users' tokens, the OIN secrets. */
function fixtureSecrets(fixture) {
  const { serviceApp, user, signInUser, signOutUser, oin = [] } = fixture.oauth ?? {};
  const pemBody = (pem) => pem?.split('\n').filter((l) => !l.startsWith('-----')).join('');
  const stored = [user, signInUser, signOutUser].flatMap((u) => [u?.stored.accessToken, u?.stored.refreshToken, u?.stored.idToken]);
  const pemLines = serviceApp?.rsa.privateKeyPem.split('\n').filter((l) => l.length >= 32 && !l.startsWith('-----')) ?? [];
  return [fixture.inspectSecret, fixture.ssws.token, fixture.ssws.revokedToken, serviceApp?.ec.privateJwk.d, pemBody(serviceApp?.rsa.privateKeyPem), ...pemLines, ...stored, ...oin.map((tenant) => tenant.clientSecret)].filter(
    (s) => typeof s === 'string' && s.length >= 8,
  );
}

/** The failures to add to a runtime's results for what its console got (`consoleText`). */
export function consoleFailures(consoleText, fixture) {
  if (fixture.oauth === undefined) return [];
  const failures = [];
  const text = String(consoleText ?? '');
  const leaked = fixtureSecrets(fixture).filter((s) => text.includes(s)).length;
  if (leaked > 0) failures.push({ name: 'console', error: `the console got ${leaked} of the fixture's secrets (in ${text.length} characters of output)` });
  // workerd warns on the console for each `.text()` of a body that is not text: a token request's
  // form read that way filled a Worker's log with one warning per token request (journey83).
  const textWarnings = text.split('Called .text() on an HTTP body which does not appear to be text').length - 1;
  if (textWarnings > 0) failures.push({ name: 'console', error: `the runtime warned ${textWarnings} times that a body which is not text was read with .text(): read it as bytes (arrayBuffer) and decode it` });
  const missing = HOLDER_NAMES.filter((name) => !new RegExp(`${CONSOLE_MARKER}\\W+${name}\\b`).test(text));
  if (missing.length > 0) failures.push({ name: 'console', error: `the console never got the inspect case's line for ${missing.join(', ')}: the case did not run to its end` });
  return failures;
}
