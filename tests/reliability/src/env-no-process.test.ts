/**
 * On a Worker without `nodejs_compat` there is no `process`: a `…FromEnv()` called with no argument said
 * "OKTA_CLIENT_ORGURL is not set" although the Worker's env held it. Each now says there is no process
 * environment here and to pass the Worker's `env` (core's one reading of the runtime's env, `readRuntimeEnv`),
 * through every package that reads one (fifty-second session, do145).
 */
import { afterEach, expect, it, vi } from 'vitest';
import { sswsCredentialFromEnv } from '@org/okta-ssws';
import { serviceAppCredentialFromEnv, signInClientFromEnv } from '@org/okta-oauth';

afterEach(() => {
  vi.unstubAllGlobals();
});

it.each([
  ['sswsCredentialFromEnv', () => sswsCredentialFromEnv()],
  ['serviceAppCredentialFromEnv', () => serviceAppCredentialFromEnv()],
  ['signInClientFromEnv', () => signInClientFromEnv()],
])("%s() where there is no process: no process environment here, pass the Worker's env", (name, make) => {
  vi.stubGlobal('process', undefined);
  let thrown: unknown;
  try {
    make();
  } catch (error) {
    thrown = error;
  }
  vi.unstubAllGlobals();
  expect(thrown).toMatchObject({
    code: 'INVALID_CONFIG',
    message: `${name}() found no process environment here (a Cloudflare Worker without nodejs_compat, a browser): pass the Worker's env, as in ${name}(env).`,
  });
});
