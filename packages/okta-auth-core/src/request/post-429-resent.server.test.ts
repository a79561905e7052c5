/**
 * A POST answered 429 is sent again after the wait, with the same body, through every driver: Okta
 * refuses a rate-limited request before acting on it (its 429 body, `E0000047`, is the whole answer),
 * so the retry is the one time it is processed. The README's promise (core README, "Okta's rate
 * limits"); a POST is never resent after a connection reset or a timeout, which say nothing of that
 * (`retry-off.server.test.ts`, `delete-not-resent.server.test.ts`). Against a scripted server on
 * 127.0.0.1 whose 429 names a reset at its own second (a 1 s wait).
 */
import { json } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

const okta = useScriptedServer((req, res) => {
  if (okta.requests.length > 1) return json(res, 200, { echoed: JSON.parse(req.body) as unknown });
  const second = Math.floor(Date.now() / 1000);
  json(res, 429, { errorCode: 'E0000047' }, { date: new Date(second * 1000).toUTCString(), 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(second) });
});

describe.each(Object.keys(drivers))('a POST answered 429, through %s', (name) => {
  it('is sent again after the wait, with the same body, and answered', async () => {
    const client = drivers[name]!({ credential: countingCredential(okta.origin) });
    const body = { profile: { login: 'a@example.com' } };
    expect(await client.postJson('/api/v1/users', body)).toEqual({ echoed: body });
    expect(okta.requests.map((request) => [request.method, request.body])).toEqual([
      ['POST', JSON.stringify(body)],
      ['POST', JSON.stringify(body)],
    ]);
  });
});
