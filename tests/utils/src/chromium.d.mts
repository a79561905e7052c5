import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';

/** The Chromium the tests launch: `$CHROMIUM_PATH`, or Debian's /usr/bin/chromium. */
export const CHROMIUM: string;
/** The switches every launch has: headless, and nothing that calls home or syncs meanwhile. */
export const CHROMIUM_ARGS: readonly string[];
/** Why `executablePath` (default {@link CHROMIUM}) cannot be launched and how to get it (`sudo apt-get install -y chromium`), or undefined when it can. */
export function chromiumMissing(executablePath?: string): Error | undefined;

export interface LaunchChromiumOptions {
  /** Further command-line switches, such as `--host-resolver-rules=…`. */
  readonly switches?: readonly string[];
  /** A fresh profile directory (`--user-data-dir`), removed on close, rather than playwright's throw-away profile. */
  readonly profile?: boolean;
  /** Also record the console's errors in `problems`: all of them, or those the function keeps. */
  readonly consoleErrors?: boolean | ((message: ConsoleMessage) => boolean);
  /** The program (default {@link CHROMIUM}). */
  readonly executablePath?: string;
}

export interface LaunchedChromium {
  /** The browser; undefined with a persistent `profile` (playwright gives its context only). */
  readonly browser: Browser | undefined;
  /** The profile: its tabs share cookies, `localStorage` and Web Locks. */
  readonly context: BrowserContext;
  /** Its first tab. */
  readonly page: Page;
  /** Page errors (`page error: …`) of every tab of `context`, and console errors (`console: … (url)`) when asked for. */
  readonly problems: string[];
  /** The profile directory with `profile: true` (removed on close), else undefined. */
  readonly profileDirectory: string | undefined;
  /** Closes the browser and removes the profile directory. */
  close(): Promise<void>;
}

/** Launches headless Chromium with one tab; throws {@link chromiumMissing}'s error when there is none. */
export function launchChromium(options?: LaunchChromiumOptions): Promise<LaunchedChromium>;
/** {@link launchChromium}, `work` with it, and the browser closed in `finally`. */
export function withChromium<T>(options: LaunchChromiumOptions, work: (chromium: LaunchedChromium) => Promise<T>): Promise<T>;
