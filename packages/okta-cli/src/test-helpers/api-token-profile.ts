import { startEmulator, type EmulatorOptions, type OktaEmulator } from '@org/okta-emulator';
import { afterAll, beforeAll } from 'vitest';
import { madeInHooks, requireBuiltCli, sandbox, type Sandbox } from './cli.js';

/**
 * For a file of tests that call the org with an API token: the built binary checked, an emulator
 * started with `options` and one sandbox whose ./okta.yaml names it and a live API token, made
 * before the tests (closed and removed after); read through the answer's getters inside a test.
 */
export function apiTokenProfileOrg(options?: EmulatorOptions): { readonly org: OktaEmulator; readonly box: Sandbox } {
  const state: { org?: OktaEmulator; box?: Sandbox } = {};
  beforeAll(async () => {
    requireBuiltCli();
    const org = (state.org = await startEmulator(options));
    state.box = sandbox();
    state.box.writeYaml('cwd', { client: { orgUrl: org.url, token: org.createApiToken().token } });
  });
  afterAll(async () => {
    await state.org?.close();
    state.box?.remove();
  });
  return madeInHooks(state);
}
