// Firefox: Debian's firefox-esr, headless, driven by puppeteer-core over WebDriver BiDi
// (playwright-core's firefox needs Playwright's own patched build, which Debian's is not). The
// same page as Chromium's (browser-page.mjs) loads the same browser bundle.
import { LOAD_TIMEOUT_MS, runSuiteInTab, serveSuitePage, suiteState } from './browser-page.mjs';
import { TOOLS, toolsMissing } from '../../../scripts/provision.mjs';

/** The Firefox the matrix runs, and what to install without it: scripts/provision.mjs's entry. */
const TOOL = TOOLS.find((tool) => tool.apt === 'firefox-esr');
/** `$FIREFOX_PATH`, else Debian's. */
export const FIREFOX = TOOL.program;
/** The line the runner logs after the suite: once the console got it, it got every earlier line. */
const CONSOLE_END = 'okta-runtime-console-end';
// The suite's own bound: each case stops at 20 s (src/suite.js); a BiDi command (the suite's one
// `evaluate`) may take all of them, where puppeteer's default would stop it at 180 s.
const PROTOCOL_TIMEOUT_MS = 15 * 60_000;
// The console's last line follows the others over the same connection: it comes at once; 60 s only bounds a broken browser.
const END_TIMEOUT_MS = 60_000;

/** `firefox-esr --version` says `Mozilla Firefox 153.8.0esr`. */
export function firefoxVersion(output) {
  return output?.match(/Firefox (\d+(?:\.\d+)+\w*)/)?.[1];
}

/** Headless Firefox (`$FIREFOX_PATH`, else Debian's); fails saying what to install when it is missing (or not executable). */
export async function launchFirefox() {
  const why = toolsMissing([TOOL]);
  if (why !== undefined) throw new Error(why);
  const { default: puppeteer } = await import('puppeteer-core');
  return puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, timeout: 30_000, protocolTimeout: PROTOCOL_TIMEOUT_MS });
}

export async function runFirefox(fixture, bundles) {
  const browser = await launchFirefox();
  let page;
  const problems = [];
  try {
    const built = await bundles.browser();
    page = await serveSuitePage(built);
    const tab = await browser.newPage();
    tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    const logs = bidiConsole(tab, problems);
    const waitForState = () => tab.waitForFunction(suiteState, { timeout: LOAD_TIMEOUT_MS }).then((h) => h.jsonValue(), () => undefined);
    const results = await runSuiteInTab({ tab, url: page.url, built, fixture, problems, waitForState });
    results.console = await logs.text();
    return results;
  } finally {
    await browser.close();
    await page?.close();
  }
}

/**
 * What Firefox's console sends a WebDriver BiDi client (`log.entryAdded`, puppeteer's `console`
 * event): each argument serialized by the browser as a BiDi remote value, which holds an object's
 * own enumerable string-keyed properties and a Map's or Set's entries, nested; never private
 * fields, non-enumerable or symbol keys, getters, closures, nor an error's message or stack
 * (README.md). A line per call renders its arguments (`okta-inspect-case secret object`), then
 * the values as JSON, for console-scan.mjs.
 */
export function bidiConsole(tab, problems = []) {
  const parts = [];
  let ended;
  const end = new Promise((resolve) => { ended = resolve; });
  tab.on('console', (message) => {
    const args = message.args().map((handle) => handle.remoteValue());
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    if (args[0]?.value === CONSOLE_END) return ended();
    parts.push(args.map((a) => (typeof a.value === 'object' ? a.type : String(a.value ?? a.type))).join(' '), JSON.stringify(args));
  });
  return {
    /** Everything the console got until now: logs a last line and waits for it (BiDi's events come in order). */
    async text() {
      await tab.evaluate((line) => console.log(line), CONSOLE_END);
      let timer;
      const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`the console did not get the runner's last line in ${END_TIMEOUT_MS / 1000} s`)), END_TIMEOUT_MS); });
      await Promise.race([end, late]).finally(() => clearTimeout(timer));
      return parts.join('\n');
    },
  };
}
