import { expect } from 'vitest';

/**
 * The wait a slot's `TIMEOUT` reports, in whole ms, its message checked to the letter but for that
 * number (`what` waited for a slot of a limit of `max`, advising `boundBy`), and at most `most`:
 * a wait before an attempt takes at most half of what remains of its bound when it begins, so the
 * number is the bound's half less what ran before the wait (how much is the machine's). `what`
 * names the attempt without its host (`attemptName`'s `GET host/path`: whichever org the test started).
 */
export function expectSlotWait(error: unknown, boundBy: string, most: number, what = 'GET /api/v1/users', max = 1): number {
  expect(error).toMatchObject({ code: 'TIMEOUT' });
  const message = (error as Error).message.replace(/^(\w+) [^ /]+\//, '$1 /');
  const prefix = `${what} waited `;
  const suffix = ` ms for a slot of its in-flight limit (maxInFlight, ${max} at once) and was not sent: send fewer calls at once, or raise the limit or ${boundBy}.`;
  const waited = message.slice(prefix.length, message.length - suffix.length);
  expect(message, message).toBe(`${prefix}${waited}${suffix}`);
  expect(waited, message).toMatch(/^\d+$/);
  expect(Number(waited)).toBeLessThanOrEqual(most);
  return Number(waited);
}
