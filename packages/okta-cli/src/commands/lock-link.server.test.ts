/**
 * A symbolic link to nothing at the token file's lock (ra151): `open(O_EXCL)` found it there
 * (`EEXIST`) while `stat`, following it, found nothing, so the wait tried again at once, counted no
 * time and never yielded: `okta-auth logout` (the lock's synchronous wait) and a renewal (its wait on
 * a timer) spun for ever, deaf to Ctrl-C. Each run is killed after 20 s, so the test cannot hang.
 * The renewal's lock failing is the storage failing, as a lock that cannot be created: the
 * credential renews by itself, and the write of its renewal, under the lock too, is refused.
 */
import { mkdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../test-helpers/cli.js';
import { signedInToRenew } from '../test-helpers/held-renewal.js';

it('a link at the lock (to nothing) is refused at once, naming it to delete: logout and a renewal alike, no endless wait', async () => {
  // `api` renews (under the lock) before its call; the app's refresh tokens are Okta's native default (static).
  const { box, lock } = await signedInToRenew({ refreshTokenRotation: 'static' });
  mkdirSync(dirname(lock), { recursive: true });
  symlinkSync(join(box.dir, 'nowhere'), lock);
  for (const args of [['api', 'GET', '/api/v1/users?limit=1'], ['logout']]) {
    const result = await runCli(args, { cwd: box.cwd, env: box.env, timeoutMs: 20_000 });
    expect(result.stderr).toBe(`okta-auth: ${lock} is not a file: delete it.\n`);
    expect(result.code).toBe(3);
  }
  // Left for the user to delete: the link is not okta-auth's to remove.
  expect(readlinkSync(lock)).toBe(join(box.dir, 'nowhere'));
});
