/**
 * Which runtime this is, from its globals, each read as an own property of `globalThis` ({@link own}): the
 * product token of `User-Agent` ({@link runtimeToken}) and whether `User-Agent` can be set ({@link isBrowser}).
 * It imports nothing: the User-Agent rule and the failure messages read it without importing `runtime.ts`,
 * the environment's variables and their checks, which import `org-url.ts` (an import cycle until pack165).
 */

interface RuntimeGlobals {
  Bun?: { version?: string };
  Deno?: { version?: { deno?: string }; env?: { get: (name: string) => string | undefined } };
  process?: { versions?: { node?: string }; env?: Record<string, string | undefined>; type?: string };
  navigator?: { userAgent?: string };
  document?: unknown;
}

const runtimeGlobals = globalThis as unknown as RuntimeGlobals;

/**
 * A runtime's global (`Deno`, `Bun`, `process`, `navigator`) only as an own property of `globalThis`, as each runtime defines it: one
 * `Object.prototype` holds (a prototype pollution, `{"__proto__":{"Deno":…}}` through a deep merge) is none. The one look-up of
 * them, {@link runtimeToken}'s and `runtime.ts`' (the environment). @internal
 */
export const own = <K extends keyof RuntimeGlobals>(name: K) => (Object.hasOwn(globalThis, name) ? runtimeGlobals[name] : undefined);

/**
 * The runtime's product token for `User-Agent`, such as `node/20.20.2`,
 * `deno/2.5.0`, `bun/1.3.0`, `workerd` or `browser`.
 *
 * @example
 * ```ts
 * runtimeToken(); // 'node/20.20.2'
 * ```
 */
export function runtimeToken(): string {
  const Bun = own('Bun'), Deno = own('Deno'), process = own('process'), navigator = own('navigator');
  if (typeof Bun?.version === 'string') return `bun/${Bun.version}`;
  if (typeof Deno?.version?.deno === 'string') return `deno/${Deno.version.deno}`;
  // Before process: workerd with nodejs_compat (the default from 2026-08-15) has process.versions.node too.
  if (navigator?.userAgent === 'Cloudflare-Workers') return 'workerd';
  // Electron's renderer or worker with Node.js integration has Node's process and Chromium's fetch (CORS, no User-Agent).
  if (typeof process?.versions?.node === 'string' && process.type !== 'renderer' && process.type !== 'worker') return `node/${process.versions.node}`;
  return 'browser';
}

/** True in a browser page or browser worker (Electron's renderer with Node.js integration too), where `User-Agent` cannot be set. */
export function isBrowser(): boolean {
  return runtimeToken() === 'browser';
}
