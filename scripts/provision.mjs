// What the test command needs from the machine besides Node.js and pnpm:
// Debian's chromium (browser tests, driven by playwright-core), firefox-esr
// (the runtime matrix's Firefox, driven by puppeteer-core), webkit2gtk-driver
// and xvfb (the runtime matrix's WebKit: WebKitGTK's WebDriver and browser,
// and the virtual display it needs), redis-server
// (the Redis token store tests), tmux (the terminal tests), curl (the
// emulator CLI's curl recipe) and gdb (the native stacks the test watchdog
// prints when a run hangs: scripts/vitest-watchdog.mjs). As root with
// apt-get, the missing ones are installed (one `apt-get update`, one
// `apt-get install`); otherwise one line says what is missing and how to get
// it, and the tests that need it fail (a test that did not run counts as failed).
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Each tool: the program the tests run, and the Debian package that brings it. `recommends: false`
 * installs the package without its Recommends (WebKitGTK's are GStreamer's media plugins, spell
 * checkers and fonts the tests never use: 50 packages instead of 172, half the download and time).
 * `instead`: the variable that names another copy of the program, said with the install command.
 */
export const TOOLS = [
  { program: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', apt: 'chromium', usedBy: 'browser tests', instead: 'set CHROMIUM_PATH to a Chromium' },
  { program: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', apt: 'firefox-esr', usedBy: 'Firefox runtime tests', instead: 'set FIREFOX_PATH to a Firefox' },
  {
    program: process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver',
    apt: 'webkit2gtk-driver',
    usedBy: 'WebKit runtime tests',
    recommends: false,
    instead: 'set WEBKIT_DRIVER_PATH to a WebKitWebDriver',
  },
  { program: 'Xvfb', apt: 'xvfb', usedBy: "the WebKit runtime's display", recommends: false },
  { program: 'redis-server', apt: 'redis-server', usedBy: 'Redis tests' },
  { program: 'tmux', apt: 'tmux', usedBy: 'terminal tests' },
  { program: 'curl', apt: 'curl', usedBy: "the emulator CLI's curl recipe test" },
  { program: 'gdb', apt: 'gdb', usedBy: "the test watchdog's native stacks of a hung run" },
];

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether a program (an absolute path, or a name looked up on PATH) can be run. */
export function found(program) {
  if (program.includes('/')) return executable(program);
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && executable(join(dir, program)));
}

/**
 * The command that installs `tools` (Debian/Ubuntu), in the one wording: provision's own line, and
 * {@link toolsMissing}'s error when a test finds a program missing. Each package named once.
 */
export function installCommand(tools) {
  return `apt-get install -y ${[...new Set(tools.map((tool) => tool.apt))].join(' ')}`;
}

/**
 * Why a test cannot run `tools` (entries of {@link TOOLS}, or one with another `program` that the
 * same package brings, such as WebKit's MiniBrowser) and how to get them, or undefined when every
 * one can be run: the one wording of the Chromium launcher (tests/utils' chromium.mjs) and the
 * runtime matrix's Firefox and WebKit, each program with what it is for, then the install command.
 */
export function toolsMissing(tools) {
  const absent = tools.filter((tool) => !found(tool.program));
  if (absent.length === 0) return undefined;
  const list = absent.map((tool) => `${tool.program} is missing (${tool.usedBy})`).join(', ');
  const instead = absent.flatMap((tool) => (tool.instead === undefined ? [] : [`, or ${tool.instead}`])).join('');
  return `${list}: install ${absent.length === 1 ? 'it' : 'them'} with \`sudo ${installCommand(absent)}\` (Debian/Ubuntu)${instead}`;
}

export function missingTools() {
  return TOOLS.filter((tool) => !found(tool.program));
}

function canApt() {
  return process.platform === 'linux' && typeof process.getuid === 'function' && process.getuid() === 0 && found('apt-get');
}

/**
 * Installs what is missing when it can; returns the tools still missing (empty
 * when the machine has everything), having printed one line about them.
 */
export function provision({ log = console.log } = {}) {
  let missing = missingTools();
  if (missing.length === 0) return [];
  const packages = missing.map((tool) => tool.apt);
  if (canApt()) {
    log(`installing ${packages.join(', ')} (apt-get, for the ${missing.map((t) => t.usedBy).join(', ')})`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    // Another apt-get already running (a second test run, unattended upgrades) holds its lock: wait up to 5 min rather than fail.
    const wait = ['-o', 'DPkg::Lock::Timeout=300'];
    const update = spawnSync('apt-get', [...wait, 'update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    const lean = missing.filter((tool) => tool.recommends === false).map((tool) => tool.apt);
    const full = packages.filter((name) => !lean.includes(name));
    for (const [names, flags] of [[full, []], [lean, ['--no-install-recommends']]]) {
      if (update.status === 0 && names.length > 0) spawnSync('apt-get', [...wait, 'install', '-y', '-qq', ...flags, ...names], { stdio: ['ignore', 'ignore', 'inherit'], env });
    }
    missing = missingTools();
    if (missing.length === 0) return [];
  }
  const list = missing.map((t) => `${t.program} (${t.usedBy})`).join(', ');
  const command = installCommand(missing);
  const them = missing.length === 1 ? 'it' : 'them';
  const how = canApt() ? `\`${command}\` failed (its output is above)` : `install with \`sudo ${command}\` (Debian/Ubuntu), or run this command as root: it installs what is missing`;
  log(`missing: ${list}; ${how}; the tests that need ${them} count as failed`);
  return missing;
}

// `node scripts/provision.mjs`: provision only (exit 1 if something is still missing).
if (process.argv[1] !== undefined && new URL(import.meta.url).pathname === process.argv[1]) {
  process.exit(provision().length > 0 ? 1 : 0);
}
