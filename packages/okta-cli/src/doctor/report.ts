import { out, plain, type Io } from '../io.js';

export type Status = 'ok' | 'warn' | 'fail' | 'skip';

/** One finding of `okta-auth doctor`: what was checked, what was found, and what to do about it. */
export interface Finding {
  readonly status: Status;
  readonly title: string;
  readonly detail?: string | undefined;
  /** What to change, for `warn` and `fail`. */
  readonly fix?: string | undefined;
}

const marks: Record<Status, string> = { ok: '[ok]  ', warn: '[warn]', fail: '[FAIL]', skip: '[skip]' };

/** Prints findings as they come, and remembers whether any failed. */
export class Report {
  failed = 0;
  warned = 0;
  readonly #io: Io;

  constructor(io: Io) {
    this.#io = io;
  }

  async add(finding: Finding): Promise<void> {
    if (finding.status === 'fail') this.failed += 1;
    if (finding.status === 'warn') this.warned += 1;
    // Each part through core's one cleaner: a detail is often a refusal quoting what it was given.
    const lines = [`${marks[finding.status]} ${plain(finding.title)}`];
    if (finding.detail !== undefined) lines.push(`       ${plain(finding.detail)}`);
    if (finding.fix !== undefined) lines.push(`       fix: ${plain(finding.fix)}`);
    await out(this.#io, `${lines.join('\n')}\n`);
  }

  async summary(): Promise<void> {
    const text =
      this.failed === 0
        ? `\nNo problems found${this.warned === 0 ? '' : ` (${this.warned} warning${this.warned === 1 ? '' : 's'})`}.\n`
        : `\n${this.failed} problem${this.failed === 1 ? '' : 's'} found${this.warned === 0 ? '' : `, ${this.warned} warning${this.warned === 1 ? '' : 's'}`}.\n`;
    await out(this.#io, text);
  }
}
