// The maxInFlight limit in every runtime, against the emulator's `hold` fault: the org holds the
// answers until the case lets them go, so what is in flight is the case's to decide, not a matter of
// how fast the org answers (a quick answer ends before the next call is sent, so a count without a
// hold says little, in workerd as elsewhere). A limit of 4 stays under the six connections a browser
// opens to one host, which would otherwise cap what is in flight before the limit does.
import { createInFlightLimit, createOktaFetch } from '@org/okta-auth-core';
import { createSswsCredential } from '@org/okta-ssws';
import { equal, ok } from '../assert.js';
import { emulator } from './faults.js';

/** Waits (polling, at most `ms`) until `check()` is true. */
async function until(check, what, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    ok(Date.now() < deadline, `waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const inFlightCases = [
  {
    name: 'maxInFlight: 12 calls at once under createInFlightLimit(4), the org holding its answers: 4 in flight, 8 waiting, never more than 4 at the org',
    async run(fixture) {
      const credential = createSswsCredential({ orgUrl: fixture.orgUrl, token: fixture.ssws.token, allowInsecureLoopback: true });
      const limit = createInFlightLimit(4);
      const okta = createOktaFetch({ credential, maxInFlight: limit });
      const { json: fault } = await emulator(fixture.orgUrl, 'POST', 'faults', { path: '/api/v1/users', kind: 'hold', holdMs: 15_000 });
      try {
        await emulator(fixture.orgUrl, 'DELETE', 'counters');
        const calls = Array.from({ length: 12 }, () => okta('/api/v1/users?limit=1'));
        const held = async () => (await emulator(fixture.orgUrl, 'GET', `faults/${fault.id}/held`)).json.held;
        await until(async () => (await held()) === 4 && limit.waiting === 8, 'four answers held, eight calls waiting');
        equal((await emulator(fixture.orgUrl, 'GET', 'counters')).json.maxInFlight, 4, 'in flight at the org while four are held');
        await emulator(fixture.orgUrl, 'DELETE', 'faults');
        const statuses = (await Promise.all(calls)).map((response) => response.status);
        equal(statuses.join(' '), Array.from({ length: 12 }, () => 200).join(' '), 'statuses');
        equal((await emulator(fixture.orgUrl, 'GET', 'counters')).json.maxInFlight, 4, 'the most in flight at the org');
        equal(`${limit.inFlight} ${limit.waiting}`, '0 0', 'the limit once every call is answered');
      } finally {
        await emulator(fixture.orgUrl, 'DELETE', 'faults');
      }
    },
  },
];
