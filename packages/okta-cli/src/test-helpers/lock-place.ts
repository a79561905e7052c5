import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
