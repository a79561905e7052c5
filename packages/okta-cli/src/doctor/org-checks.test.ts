import { parseOrgUrl } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { checkReachable } from './org-checks.js';

const org = parseOrgUrl('https://acme.okta.com');
const answering = (response: Response) => () => Promise.resolve(response);
const escape = '\u001b]0;owned\u0007\u001b[2J';

describe("checkReachable echoes the org's answer through core's one cleaner (printable)", () => {
  it('a Location with terminal escapes is flattened and cut', async () => {
    const location = `https://evil.example/${escape}${'a'.repeat(500)}`;
    const { finding } = await checkReachable(org, answering(new Response(null, { status: 302, headers: { location } })));
    expect(finding.status).toBe('fail');
    expect(finding.detail).not.toContain('\u001b');
    expect(finding.detail).toBe(`it redirects (302) to https://evil.example/ ]0;owned [2J${'a'.repeat(166)}….`);
  });

  it('an issuer with terminal escapes likewise, in the finding and its fix', async () => {
    const issuer = `https://other.okta.com${escape}`;
    const { finding } = await checkReachable(org, answering(Response.json({ issuer })));
    expect(finding).toMatchObject({ status: 'warn', detail: 'the org calls itself https://other.okta.com ]0;owned [2J.', fix: 'set orgUrl to https://other.okta.com ]0;owned [2J' });
  });

  it("reads Date with core's HTTP-date reader: a Date over 100 characters gives no clock estimate", async () => {
    const date = new Date().toUTCString();
    const ok = await checkReachable(org, answering(Response.json({ issuer: org.origin }, { headers: { date } })));
    expect(ok.skewSeconds).toBeTypeOf('number');
    const long = await checkReachable(org, answering(Response.json({ issuer: org.origin }, { headers: { date: `${date} (${'x'.repeat(80)})` } })));
    expect(long.finding.status).toBe('ok');
    expect(long.skewSeconds).toBeUndefined();
  });
});
