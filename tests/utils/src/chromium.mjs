// The one Chromium launcher of the tests that drive a browser (okta-oauth's browser pages, the
// emulator's okta-auth-js interop test, the web demo's end-to-end test, the runtime matrix):
// Debian's chromium, headless, driven by playwright-core. The program and the install advice are
// scripts/provision.mjs's (its Chromium entry, `$CHROMIUM_PATH` or /usr/bin/chromium). Plain
// JavaScript so that node runs it without a TypeScript loader (the runtime matrix); types in
// chromium.d.mts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOOLS, toolsMissing } from '../../../scripts/provision.mjs';

const TOOL = TOOLS.find((tool) => tool.apt === 'chromium');

/** The Chromium the tests launch: `$CHROMIUM_PATH`, or Debian's /usr/bin/chromium. */
export const CHROMIUM = TOOL.program;

/** The switches every launch has: headless, and nothing that calls home or syncs meanwhile. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

/** Why `executablePath` cannot be launched and how to get it, or undefined when it can. */
export function chromiumMissing(executablePath = CHROMIUM) {
  const why = toolsMissing([{ ...TOOL, program: executablePath }]);
  return why === undefined ? undefined : new Error(why);
}

/** Records the page's errors, and its console's errors when `consoleErrors` says so, in `problems`. */
function watch(page, problems, consoleErrors) {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  if (consoleErrors === false) return;
  page.on('console', (message) => {
    if (message.type() !== 'error' || (typeof consoleErrors === 'function' && !consoleErrors(message))) return;
    const { url } = message.location();
    problems.push(`console: ${message.text()}${url === '' ? '' : ` (${url})`}`);
  });
}

/**
 * Launches headless Chromium with one tab: a throw-away profile (playwright's), or with
 * `profile: true` a fresh profile directory (`--user-data-dir`) removed on close. Every tab of its
 * context records its page errors in `problems`. Whatever it started is closed when a later step
 * of the launch fails.
 */
export async function launchChromium({ switches = [], profile = false, consoleErrors = false, executablePath = CHROMIUM } = {}) {
  const missing = chromiumMissing(executablePath);
  if (missing !== undefined) throw missing;
  const { chromium } = await import('playwright-core');
  const options = { executablePath, args: [...CHROMIUM_ARGS, ...switches], headless: true, timeout: 30_000 };
  const directory = profile ? mkdtempSync(join(tmpdir(), 'okta-chromium-profile-')) : undefined;
  const removeProfile = () => {
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  };
  let browser;
  let context;
  try {
    if (directory === undefined) {
      browser = await chromium.launch(options);
      context = await browser.newContext();
    } else {
      context = await chromium.launchPersistentContext(directory, options);
    }
  } catch (error) {
    try {
      await browser?.close();
    } finally {
      removeProfile();
    }
    throw error;
  }
  const close = async () => {
    try {
      await (browser ?? context).close();
    } finally {
      removeProfile();
    }
  };
  const problems = [];
  context.on('page', (page) => watch(page, problems, consoleErrors));
  try {
    const open = context.pages()[0];
    if (open !== undefined) watch(open, problems, consoleErrors);
    const page = open ?? (await context.newPage());
    return { browser: context.browser() ?? undefined, context, page, problems, profileDirectory: directory, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** {@link launchChromium}, `work` with it, and the browser closed in `finally`. */
export async function withChromium(options, work) {
  const chromium = await launchChromium(options);
  try {
    return await work(chromium);
  } finally {
    await chromium.close();
  }
}
