/**
 * The one Chromium launcher of the browser tests (`@org/okta-test-utils/chromium`): a missing
 * browser says how to install it, before anything starts; `withChromium` closes the browser (and
 * removes its profile) when the work fails; every tab's page errors, and the console's errors
 * when asked for, land in `problems`.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumMissing, launchChromium, withChromium, type LaunchedChromium } from '@org/okta-test-utils/chromium';
import { failure } from '@org/okta-test-utils';
import { afterAll, describe, expect, it } from 'vitest';

const isError = (error: unknown): error is Error => error instanceof Error;
const dir = mkdtempSync(join(tmpdir(), 'okta-chromium-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a missing Chromium', () => {
  it('is named with the command that installs it, for a path that is not there or not executable', async () => {
    const absent = join(dir, 'no-such-chromium');
    const plain = join(dir, 'not-executable');
    writeFileSync(plain, '#!/bin/sh\n');
    chmodSync(plain, 0o644);
    for (const path of [absent, plain]) {
      const error = await failure(launchChromium({ executablePath: path }), isError);
      expect(error.message).toBe(`${path} is missing (browser tests): install it with \`sudo apt-get install -y chromium\` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium`);
      expect(chromiumMissing(path)?.message).toBe(error.message);
    }
    expect(chromiumMissing()).toBeUndefined();
  });
});

describe('withChromium', () => {
  it('closes the browser when the work fails', async () => {
    let launched: LaunchedChromium | undefined;
    const error = await failure(
      withChromium({}, async (chromium) => {
        launched = chromium;
        await chromium.page.goto('about:blank');
        throw new Error('the work failed');
      }),
      isError,
    );
    expect(error.message).toBe('the work failed');
    expect(launched?.browser?.isConnected()).toBe(false);
  });

  it('with a profile, removes its directory when the work fails', async () => {
    let profile: string | undefined;
    await failure(
      withChromium({ profile: true }, async (chromium) => {
        profile = chromium.profileDirectory;
        await chromium.page.goto('about:blank');
        expect(chromium.browser).toBeUndefined();
        expect(existsSync(profile ?? '')).toBe(true);
        throw new Error('the work failed');
      }),
    );
    expect(profile).toMatch(/okta-chromium-profile-/);
    expect(existsSync(profile ?? '')).toBe(false);
  });

  it('records page errors of every tab, and console errors only when asked for and kept', async () => {
    const script = (text: string): string => `data:text/html,<script>console.error(${JSON.stringify(text)}); setTimeout(() => { throw new Error(${JSON.stringify(text)}); });</script>`;
    const quiet = await withChromium({}, async ({ context, page, problems }) => {
      await page.goto(script('first'));
      const second = await context.newPage();
      await second.goto(script('second'));
      await expect.poll(() => problems.length, { timeout: 20_000 }).toBe(2);
      return [...problems].sort();
    });
    expect(quiet).toEqual(['page error: first', 'page error: second']);
    const loud = await withChromium({ consoleErrors: (message) => message.text() !== 'skipped' }, async ({ page, problems }) => {
      await page.goto(script('kept'));
      await page.evaluate(() => console.error('skipped'));
      await expect.poll(() => problems.length, { timeout: 20_000 }).toBe(2);
      return [...problems].sort();
    });
    // An inline script has no URL to name: the line ends with the text.
    expect(loud).toEqual(['console: kept', 'page error: kept']);
  });
});
