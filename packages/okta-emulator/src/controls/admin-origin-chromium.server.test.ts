// A hostile web page in the developer's browser, in headless Chromium, against the emulator's controls
// over real HTTP: `evil.test` (mapped to 127.0.0.1 by the resolver rules, so Chromium's local-network
// checks do not stand in for the emulator's) reads nothing the controls mint and changes nothing blind;
// the same page on 127.0.0.1 (the runtime matrix's, a developer's test page) still uses them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchChromium, type LaunchedChromium } from '@org/okta-test-utils/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';

describe("the emulator's controls from a page in Chromium", () => {
  let org: OktaEmulator;
  let site: Server;
  let port: number;
  let chromium: LaunchedChromium;
  beforeAll(async () => {
    org = await startEmulator();
    site = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>site</title><p>site</p>'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    port = (site.address() as AddressInfo).port;
    chromium = await launchChromium({ switches: ['--host-resolver-rules=MAP evil.test 127.0.0.1'] });
  }, 60_000);
  afterAll(async () => {
    await chromium.close();
    await new Promise((resolve) => site.close(resolve));
    await org.close();
  });

  /** From the page at `origin`: mint an API token (read through CORS), then inject a drop fault blind (no-cors). */
  const attack = async (origin: string): Promise<string> => {
    await chromium.page.goto(`${origin}/`);
    return chromium.page.evaluate(async (url) => {
      let read: string;
      try {
        const res = await fetch(`${url}/__emulator/api-tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
        read = ((await res.json()) as { token?: string }).token === undefined ? `status ${String(res.status)}` : 'token';
      } catch (error) {
        read = (error as Error).name;
      }
      await fetch(`${url}/__emulator/faults`, { method: 'POST', mode: 'no-cors', body: JSON.stringify({ path: '/api/v1/users', kind: 'status', status: 503 }) }).catch(() => undefined);
      return read;
    }, org.url);
  };
  const users = async (): Promise<number> => (await fetch(`${org.url}/api/v1/users?limit=1`, { headers: { Authorization: `SSWS ${org.createApiToken().token}` } })).status;

  it('a hostile origin reads no token and injects no fault', async () => {
    expect(await attack(`http://evil.test:${String(port)}`)).toBe('TypeError');
    expect(await users()).toBe(200);
  }, 30_000);

  it('a page on 127.0.0.1 reads the token and injects the fault', async () => {
    expect(await attack(`http://127.0.0.1:${String(port)}`)).toBe('token');
    expect(await users()).toBe(503);
    org.clearFaults();
  }, 30_000);
});
