/**
 * Two isolates of a Cloudflare Workers fleet in a real workerd: the harness (worker/harness.ts,
 * bundled by esbuild as the runtime matrix bundles its suite) served twice, as services `a` and `b`,
 * both bound to the one OktaTokenStoreObject namespace `a` declares (in-memory storage). workerd
 * comes from the runtime matrix's cache (tests/runtimes/runner/install.mjs, which installs it on a
 * first run); outbound fetches may reach 127.0.0.1 (the emulator).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@org/okta-test-utils/free-port';
import { build } from 'esbuild';

export interface WorkerdFleet {
  /** POSTs `body` to `path` of isolate `service`, answers its JSON. */
  call(service: 'a' | 'b', path: string, body: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

const install = join(import.meta.dirname, '../../../tests/runtimes/runner/install.mjs');
const { runtimesDir } = (await import(install)) as { runtimesDir: (options?: { log?: (line: string) => void }) => string };
// When the file is loaded, outside any hook's timeout: on a first run without the test command (which installs them
// beside the build), this installs the runtimes, a few minutes of download.
const runtimes = runtimesDir({ log: () => undefined });

export async function startWorkerdFleet(): Promise<WorkerdFleet> {
  const require = createRequire(join(runtimes, 'package.json'));
  const { compatibilityDate } = require('workerd') as { compatibilityDate: string };
  const dir = mkdtempSync(join(tmpdir(), 'okta-do-fleet-'));
  await build({
    entryPoints: [join(import.meta.dirname, 'worker/harness.ts')],
    outfile: join(dir, 'worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@org/source', 'workerd', 'worker', 'browser'],
    external: ['node:*', 'cloudflare:*'],
    logLevel: 'silent',
  });
  const [portA, portB] = [await freePort(), await freePort()];
  const worker = (objects: string, tokens: string, other = '') => `(
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${compatibilityDate}",
  compatibilityFlags = ["no_nodejs_compat", "no_nodejs_compat_v2"],${objects}
  bindings = [
    (name = "TOKENS", durableObjectNamespace = ${tokens}),
    (name = "STALLED", durableObjectNamespace = (className = "StalledObject", serviceName = "a")),${other}
  ],
  globalOutbound = "loopback",
)`;
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "a", worker = .a),
    (name = "b", worker = .b),
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [
    (name = "a", address = "127.0.0.1:${portA}", http = (), service = "a"),
    (name = "b", address = "127.0.0.1:${portB}", http = (), service = "b"),
  ],
);
const a :Workerd.Worker = ${worker(
      `
  durableObjectNamespaces = [(className = "OktaTokenStoreObject", uniqueKey = "okta-tokens"), (className = "StalledObject", uniqueKey = "stalled")],
  durableObjectStorage = (inMemory = void),`,
      '(className = "OktaTokenStoreObject")',
      '\n    (name = "B", service = "b"),',
    )};
const b :Workerd.Worker = ${worker('', '(className = "OktaTokenStoreObject", serviceName = "a")')};
`,
  );
  const child = spawn(join(runtimes, 'node_modules/workerd/bin/workerd'), ['serve', join(dir, 'config.capnp'), '--verbose'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const ports = { a: portA, b: portB };
  const call: WorkerdFleet['call'] = async (service, path, body) => {
    const response = await fetch(`http://127.0.0.1:${ports[service]}${path}`, { method: 'POST', body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`workerd answered ${response.status}: ${text.slice(0, 300)}\n${output.slice(-2000)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  // Until both sockets answer (workerd binds them after it loads the worker).
  for (let tries = 0; ; tries++) {
    try {
      await Promise.all([call('a', '/none', {}), call('b', '/none', {})]);
      return { call, close };
    } catch (error) {
      if (child.exitCode !== null || tries > 200) {
        await close();
        throw new Error(`workerd did not start: ${String(error)}\n${output.slice(-2000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
