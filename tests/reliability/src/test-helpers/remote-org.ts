import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CounterSnapshot, EmulatorOptions, ServiceAppCredentials } from '@org/okta-emulator';
import type { Org } from './subjects.js';

/** An emulated org in a child process (the soak: the client keeps its own CPU), driven over HTTP. */
export interface RemoteOrg extends Org {
  counters(): Promise<CounterSnapshot>;
  resetCounters(): Promise<void>;
  setClockOffset(seconds: number): Promise<void>;
  setTokenLifetime(seconds: number): Promise<void>;
  setRateLimit(bucket: string, perMinute: number): Promise<void>;
  close(): Promise<void>;
}

/** `frozenNowMs`: the org's clock stands at that time, moved only by `setClockOffset` (its `Date.now` frozen). */
export async function startRemoteEmulator(options: EmulatorOptions, { frozenNowMs }: { frozenNowMs?: number } = {}): Promise<RemoteOrg> {
  const script = fileURLToPath(new URL('../../emulator-process.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, JSON.stringify(options), ...(frozenNowMs === undefined ? [] : [String(frozenNowMs)])], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => {
      reject(new Error(`the emulator process exited (${String(code)}); is @org/okta-emulator built?`));
    });
  });
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}/__emulator${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!response.ok) throw new Error(`emulator ${method} ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  return {
    url,
    createApiToken: (o: { name?: string } = {}) => call('POST', '/api-tokens', o),
    createServiceApp: (o) => call<ServiceAppCredentials>('POST', '/service-apps', o),
    createOinApp: (o) => call('POST', '/oin-apps', o),
    createSignInApp: (o) => call('POST', '/sign-in-apps', o),
    createUser: (o) => call('POST', '/users', o),
    counters: () => call('GET', '/counters'),
    resetCounters: () => call('DELETE', '/counters'),
    setClockOffset: (offsetSeconds) => call('POST', '/clock', { offsetSeconds }),
    setTokenLifetime: (seconds) => call('POST', '/token-lifetime', { seconds }),
    setRateLimit: (bucket, perMinute) => call('POST', '/rate-limits', { bucket, perMinute }),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          resolve();
        });
        child.stdin.end();
      }),
  };
}
