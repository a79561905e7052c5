/**
 * A custom credential's `kind` is the author's text: 10,000 characters with a line break and an
 * escape reach neither a log event nor a message as they are, in every driver; they are cleaned
 * as every echoed text is (`printable`: one line, at most 64 characters).
 */
import { describe, expect, it } from 'vitest';
import type { OktaCredential } from '../credential.js';
import type { OktaLogEvent } from '../config/logger.js';
import { drivers } from '../test-helpers/drivers.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';

const org = useApiTokenOrg();
const kind = `vault\n\x1b[2Jlevel=info FAKE ${'k'.repeat(10_000)}`;
const shown = `${`vault [2Jlevel=info FAKE ${'k'.repeat(100)}`.slice(0, 64)}…`;

describe.each(Object.keys(drivers))('%s', (name) => {
  it("the request event's credential: the kind cleaned and cut", async () => {
    const events: OktaLogEvent[] = [];
    const credential: OktaCredential = { ...org.ssws(org.org.url), kind };
    await drivers[name]!({ credential, logger: (event) => events.push(event) }).getJson('/api/v1/users/me');
    expect(events.filter((event) => event.type === 'request').map((event) => 'credential' in event && event.credential)).toEqual([shown]);
  });

  it("a header value that cannot be sent: INVALID_CONFIG naming the kind cleaned and cut", async () => {
    const credential: OktaCredential = { kind, origin: org.org.url, authorize: () => Promise.resolve({ authorization: 'SSWS bad\nvalue-1234567890' }) };
    const error = await drivers[name]!({ credential }).getJson('/api/v1/users/me').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/^The vault \[2Jlevel=info FAKE k+… credential gave/) });
    expect((error as Error).message).not.toContain('k'.repeat(100));
  });
});
