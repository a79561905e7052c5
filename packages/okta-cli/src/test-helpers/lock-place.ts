import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';
import { sandbox, type Sandbox } from './cli.js';

/** Where the file-lock tests work: a sandbox, its token folder, the token file `p.json`, its lock and the lock's take-over guard. */
export interface LockPlace {
  readonly box: Sandbox;
  readonly dir: string;
  readonly file: string;
  readonly lock: string;
  readonly guard: string;
}

/** A new sandbox with its token folder made (nothing in it yet): remove it with `box.remove()`. */
export function lockPlace(): LockPlace {
  const box = sandbox();
  const dir = join(box.xdg, 'tokens');
  mkdirSync(dir);
  const file = join(dir, 'p.json');
  const lock = `${file}.lock`;
  return { box, dir, file, lock, guard: `${lock}.takeover` };
}

/**
 * A {@link lockPlace} of each test's own, made before it; after it, the lock's moved clock and spies
 * undone (`vi.useRealTimers()`, `vi.restoreAllMocks()`: `movedSleeps`'s) and the sandbox
 * removed. The object returned reads the running test's place: read its fields inside tests.
 */
export function useLockPlace(): LockPlace {
  let place: LockPlace | undefined;
  beforeEach(() => {
    place = lockPlace();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    place?.box.remove();
    place = undefined;
  });
  const current = (): LockPlace => {
    if (place === undefined) throw new Error("useLockPlace: the place is made in the file's hooks: read it inside a test");
    return place;
  };
  return {
    get box() {
      return current().box;
    },
    get dir() {
      return current().dir;
    },
    get file() {
      return current().file;
    },
    get lock() {
      return current().lock;
    },
    get guard() {
      return current().guard;
    },
  };
}
