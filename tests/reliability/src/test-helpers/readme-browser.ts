/**
 * A doc block that is a single-page app's script (`<!-- run: browser-sign-in -->`, docs/MIGRATING.md's),
 * run as a user's app runs it: bundled with esbuild against the BUILT packages (`dist/`, as an app's bundler
 * finds them), served at every path of an origin of its own on 127.0.0.1 and opened in headless Chromium by
 * okta-oauth's browser app (`startBrowserApp`, over `@org/okta-test-utils/chromium`'s launcher: the one
 * page server and the one launcher of the browser tests), against the place's org. The org gets a SPA app
 * whose redirect URIs are the page's; the block's org URL and client id placeholder become the emulator's
 * and that app's ({@link swapOrg}); nothing else of the block changes.
 */
import type { OktaEmulator } from '@org/okta-emulator';
import { startBrowserApp, type BrowserApp } from '../../../../packages/okta-oauth/src/user/test-helpers/browser-page.js';
import { swapOrg, type ReadmeBlock } from './readme-blocks.js';
import { admin } from './readme-setups.js';
import { root } from './readme-run.js';

/** A tab of the app (playwright-core's `Page`, named through the browser app: this package does not depend on playwright). */
type Page = Awaited<ReturnType<BrowserApp['context']['newPage']>>;

/** The served block, one tab of it, and what the page printed. */
export interface BrowserBlock {
  readonly app: BrowserApp;
  readonly tab: Page;
  /** What the page's `console.log` printed, each call a line, in order (every page load's). */
  readonly printed: readonly string[];
  /** Signs the org's admin in on the org's sign-in page the tab is on, and waits to be back on the app's origin. */
  signInOnOkta(): Promise<void>;
  close(): Promise<void>;
}

/** The block's placeholder for its SPA app's client id. */
const clientIdPlaceholder = '0oa1b2c3d4e5f6g7h8i9';

/**
 * Serves `block` for `org` with `body` (the app's own elements, before the script) and opens a tab, not
 * yet at any page. The caller closes it.
 */
export async function openBrowserBlock(block: ReadmeBlock, org: OktaEmulator, body = ''): Promise<BrowserBlock> {
  let clientId = '';
  const script = (origin: string) => {
    ({ clientId } = org.createSignInApp({ type: 'spa', redirectUris: [`${origin}/callback`], postLogoutRedirectUris: [`${origin}/`], scopes: ['okta.users.read'] }));
    return swapOrg(block.code, { orgUrl: org.url, literals: [[clientIdPlaceholder, clientId]] });
  };
  const app = await startBrowserApp(script, { body, resolve: { dir: `${root}/tests/reliability`, conditions: [] } });
  try {
    const tab = await app.context.newPage();
    const printed: string[] = [];
    tab.on('console', (message) => {
      if (message.type() === 'log') printed.push(message.text());
    });
    return {
      app,
      tab,
      printed,
      async signInOnOkta() {
        await tab.waitForURL((url) => url.origin === org.url && url.pathname === '/oauth2/v1/authorize');
        await tab.getByLabel('Username').fill(admin.login);
        await tab.getByLabel('Password').fill(admin.password);
        await tab.getByRole('button', { name: 'Sign in' }).click();
        await tab.waitForURL((url) => url.origin === app.origin);
      },
      close: () => app.close(),
    };
  } catch (error) {
    await app.close();
    throw error;
  }
}
