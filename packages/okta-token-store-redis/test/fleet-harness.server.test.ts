/**
 * The fleet harness itself (`test/fleet/fleet.mjs`, which the tests, `pnpm bench` and the demo's step 5 drive): a worker
 * already gone when it is asked something answers nothing, so the request is refused at once rather than waited for.
 * The demo's stop path awaits `close()` after Ctrl-C killed the workers with their process group (demo165).
 */
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startFleet } from './fleet/fleet.mjs';

describe('the fleet harness', () => {
  it('close() ends when a worker exited before it was asked, as a request to that worker is refused at once', async () => {
    const fleet = await startFleet(2);
    const { child } = fleet.workers[0] as { child: ChildProcess };
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL'); // not through fleet.kill(): as a signal to the process group, the harness not told
    await exited;
    await expect(fleet.burstOne(0, 1)).rejects.toThrow('fleet worker exited');
    // The other worker is closed as ever; on main close() waited for the first one's answer for good.
    await fleet.close();
  });
});
