// WebKit: WebKitGTK, Safari's engine (JavaScriptCore, WebKit's WebCrypto), not Safari. Debian's
// `webkit2gtk-driver` (WebKitWebDriver) drives its MiniBrowser over WebDriver classic, spoken
// here with plain fetch. MiniBrowser needs a display and refuses --headless: each run starts its
// own Xvfb (the first free display, -displayfd) and driver (a free port), and stops both, with the
// MiniBrowser the driver started and its web and network processes, in `finally`. Every WebDriver
// call is bounded, so a stuck driver fails this runtime instead of hanging the matrix. The same
// page as the other browsers' (browser-page.mjs) loads the same browser bundle. WebDriver classic
// carries no console messages: the inspect case's console is not scanned here (README.md).
import { spawn } from 'node:child_process';
import { startOnFreePort } from '@org/okta-test-utils/free-port';
import { LOAD_TIMEOUT_MS, runSuiteInTab, serveSuitePage, suiteState } from './browser-page.mjs';
import { tail, versionOf } from './process.mjs';
import { TOOLS, toolsMissing } from '../../../scripts/provision.mjs';

// What WebKit needs, as scripts/provision.mjs installs it: the driver (whose package brings MiniBrowser) and Xvfb.
const DRIVER_TOOL = TOOLS.find((tool) => tool.apt === 'webkit2gtk-driver');
const XVFB_TOOL = TOOLS.find((tool) => tool.apt === 'xvfb');
/** `$WEBKIT_DRIVER_PATH`, else Debian's. */
export const WEBKIT_DRIVER = DRIVER_TOOL.program;
export const WEBKIT_BROWSER = process.env.WEBKIT_BROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const BROWSER_TOOL = { ...DRIVER_TOOL, program: WEBKIT_BROWSER, instead: 'set WEBKIT_BROWSER_PATH to a MiniBrowser' };
const XVFB = XVFB_TOOL.program;

// The bounds of each WebDriver call: the suite's one script may take all its cases' time (each
// stops at 20 s, src/suite.js), as Firefox's protocol timeout allows; the others come at once
// and are bounded only against a broken driver or browser.
const SUITE_TIMEOUT_MS = 15 * 60_000;
const START_TIMEOUT_MS = 60_000;
const CALL_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** WebKitGTK's version: the Debian package holding the browser (`2.50.6-1~deb12u2` → `2.50.6`), else undefined. */
export function webkitVersion() {
  const owner = versionOf('dpkg-query', ['-S', WEBKIT_BROWSER])?.split(':')[0];
  return owner === undefined ? undefined : versionOf('dpkg-query', ['-W', '-f', '${Version}', owner])?.match(/^[\d.]+/)?.[0];
}

/**
 * Runs the suite in a MiniBrowser of its own (its own Xvfb and driver), stopped however the run
 * ends. `groupIds` gets the process-group id of each process started (Xvfb, the driver), for a
 * test to check that none is left.
 */
export async function runWebkit(fixture, bundles, { groupIds = [] } = {}) {
  // Why WebKit cannot run here (each missing program, with the apt-get command), or undefined.
  const why = toolsMissing([DRIVER_TOOL, BROWSER_TOOL, XVFB_TOOL]);
  if (why !== undefined) throw new Error(why);
  const built = await bundles.browser();
  const page = await serveSuitePage(built);
  const started = [];
  const track = (group) => {
    started.push(group);
    groupIds.push(group.child.pid);
    return group;
  };
  try {
    const xvfb = await startXvfb(track);
    const driver = await startOnFreePort((port) => startDriver(port, xvfb.display, track));
    const session = await driver.newSession();
    try {
      const tab = webdriverTab(session);
      const waitForState = () => pollState(session);
      return await runSuiteInTab({ tab, url: page.url, built, fixture, problems: [], waitForState });
    } finally {
      // A session the driver cannot close still ends: stopping the driver's group ends its browser.
      await session.close().catch(() => undefined);
    }
  } finally {
    for (const group of started.reverse()) await group.stop();
    await page.close();
  }
}

/** A process in a group of its own (`detached`), so stop() ends it and every process it started. */
function startGroup(command, args, { env, stdio = ['ignore', 'pipe', 'pipe'] }) {
  const child = spawn(command, args, { env, stdio, detached: true });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (d) => { output += d; });
  child.stderr?.setEncoding('utf8').on('data', (d) => { output += d; });
  child.on('error', (error) => { output += `\n${error.message}`; });
  const exited = new Promise((resolve) => child.on('close', resolve));
  // The runner's process.exit(), or a signal ending it (Ctrl-C), never waits for a finally: end the
  // group then too (and raise the signal again, for its own effect once no such listener is left).
  const onExit = () => signal(child.pid, 'SIGKILL');
  const onSignal = (name) => {
    onExit();
    process.kill(process.pid, name);
  };
  process.on('exit', onExit);
  for (const name of ENDING_SIGNALS) process.once(name, onSignal);
  return {
    child,
    output: () => output,
    exited,
    /** SIGTERM to the group, SIGKILL to what is left after half the bound; resolves when none is left (or at the bound). */
    async stop() {
      process.off('exit', onExit);
      for (const name of ENDING_SIGNALS) process.off(name, onSignal);
      signal(child.pid, 'SIGTERM');
      const since = Date.now();
      let killed = false;
      while (alive(child.pid) && Date.now() - since < STOP_TIMEOUT_MS) {
        if (!killed && Date.now() - since > STOP_TIMEOUT_MS / 2) killed = signal(child.pid, 'SIGKILL');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** Sends `name` to the process group `pid` leads; true (also when the group is gone already). */
function signal(pid, name) {
  try {
    if (pid !== undefined) process.kill(-pid, name);
  } catch {
    // The group is gone already.
  }
  return true;
}

/** Whether any process of the group is left (a zombie waiting for its parent counts until reaped). */
function alive(pid) {
  try {
    return pid !== undefined && process.kill(-pid, 0);
  } catch {
    return false;
  }
}

/** Xvfb on the first free display: it writes the display's number to fd 3 once it listens. */
async function startXvfb(track) {
  const xvfb = track(startGroup(XVFB, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x1024x24'], { env: process.env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] }));
  let text = '';
  const display = await new Promise((resolve) => {
    xvfb.child.stdio[3].setEncoding('utf8').on('data', (d) => {
      text += d;
      if (text.includes('\n')) resolve(text.trim());
    });
    xvfb.exited.then(() => resolve(undefined));
    setTimeout(() => resolve(undefined), START_TIMEOUT_MS).unref();
  });
  if (display === undefined || !/^\d+$/.test(display)) throw new Error(`Xvfb did not start\n${tail(xvfb.output())}`);
  return { display: `:${display}` };
}

/** WebKitWebDriver on `port`, once it answers `/status`; rejects (and stops it) if it exits or never answers. */
async function startDriver(port, display, track) {
  const driver = track(startGroup(WEBKIT_DRIVER, [`--port=${port}`], { env: { ...process.env, DISPLAY: display } }));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const exited = await Promise.race([driver.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 0))]);
    if (exited || Date.now() > deadline) {
      await driver.stop();
      throw new Error(`WebKitWebDriver ${exited ? 'exited' : 'did not answer'} on port ${port}\n${tail(driver.output())}`);
    }
    try {
      await webdriver(base, 'GET', '/status', undefined, CALL_TIMEOUT_MS);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    async newSession() {
      const options = { binary: WEBKIT_BROWSER, args: ['--automation'] };
      const capabilities = { alwaysMatch: { 'webkitgtk:browserOptions': options, timeouts: { script: SUITE_TIMEOUT_MS, pageLoad: CALL_TIMEOUT_MS } } };
      const { sessionId } = await webdriver(base, 'POST', '/session', { capabilities }, START_TIMEOUT_MS).catch((error) => {
        throw new Error(`${error.message}\n${tail(driver.output())}`);
      });
      const path = `/session/${sessionId}`;
      return {
        call: (method, command, body, timeoutMs = CALL_TIMEOUT_MS) => webdriver(base, method, `${path}/${command}`, body, timeoutMs),
        close: () => webdriver(base, 'DELETE', path, undefined, CALL_TIMEOUT_MS),
      };
    },
  };
}

/** One WebDriver command, bounded by `timeoutMs`; its `value`, or an Error with WebDriver's error and message. */
async function webdriver(base, method, path, body, timeoutMs) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error) => {
    throw new Error(`WebDriver ${method} ${path}: ${error?.name === 'TimeoutError' ? `no answer in ${timeoutMs / 1000} s` : String(error?.cause ?? error)}`);
  });
  const { value } = await response.json();
  if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${value?.error}: ${value?.message}`);
  return value;
}

/** The page as runSuiteInTab drives it (`goto`, `evaluate` of a function with one argument). */
function webdriverTab(session) {
  return {
    goto: (url) => session.call('POST', 'url', { url }),
    async evaluate(fn, arg) {
      // execute/async: the last argument is the callback; a rejection comes back as { evaluateError }.
      const script = `const done = arguments[arguments.length - 1];
        Promise.resolve(arguments[0]).then(${fn}).then(done, (e) => done({ evaluateError: String(e && e.stack || e) }));`;
      const value = await session.call('POST', 'execute/async', { script, args: [arg] }, SUITE_TIMEOUT_MS);
      if (value !== null && typeof value === 'object' && 'evaluateError' in value) throw new Error(value.evaluateError);
      return value;
    },
  };
}

/** suiteState in the page until it says loaded or failed, or LOAD_TIMEOUT_MS passed (then undefined). */
async function pollState(session) {
  const deadline = Date.now() + LOAD_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const state = await session.call('POST', 'execute/sync', { script: `return (${suiteState})();`, args: [] });
    if (state === 'loaded' || state === 'failed') return state;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}
