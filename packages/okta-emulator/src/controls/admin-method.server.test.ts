import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';

let org: OktaEmulator;
beforeAll(async () => {
  org = await startEmulator();
});
afterAll(() => org.close());

it('answers a wrong method on an admin route with a code and the option at fault, as its other refusals', async () => {
  const res = await fetch(`${org.url}/__emulator/counters`, { method: 'PUT' });
  expect(res.status).toBe(405);
  expect(await res.json()).toEqual({ error: expect.stringContaining('GET, DELETE'), code: 'INVALID_OPTION', option: 'method', allowed: ['GET', 'DELETE'] });
  const missing = await fetch(`${org.url}/__emulator/nope`);
  expect(missing.status).toBe(404);
  expect(await missing.json()).toEqual({ error: 'no admin route GET /__emulator/nope', code: 'NOT_FOUND', option: 'path' });
});
