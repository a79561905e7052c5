import { renderTable, type Column } from './table.js';
import { paint, plain, type TerminalCaps } from './terminal.js';

/** Where the tour writes for a person. `--json` uses {@link silentUi}: stdout then carries one JSON document only. */
export interface Ui {
  /** A numbered heading and a one-line lead. */
  section(title: string, lead?: string): void;
  line(text?: string): void;
  note(text: string): void;
  ok(text: string): void;
  warn(text: string): void;
  /** Label/value pairs, aligned. */
  figures(pairs: readonly (readonly [string, string | number])[]): void;
  /** A table; with `limit`, the first rows and a "… N more" line. */
  table<Row>(columns: readonly Column<Row>[], rows: readonly Row[], limit?: number): void;
  /** Runs `work` with a spinner (TTY) or a line when it ends (logs, pipes). `progress` updates the spinner's detail. */
  task<T>(label: string, work: (progress: (detail: string) => void) => Promise<T>): Promise<T>;
}

interface Output {
  write(text: string): unknown;
}

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A count and its noun: `1 step`, `2 steps`. */
export function plural(n: number, noun: string): string {
  return `${String(n)} ${noun}${n === 1 ? '' : 's'}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The human-readable output: short sections, a spinner on what takes time, tables and figures. */
export function terminalUi(out: Output, caps: TerminalCaps, now: () => number = () => performance.now()): Ui {
  const write = (text = ''): void => {
    out.write(`${text}\n`);
  };
  return {
    section(title, lead) {
      write();
      write(paint(caps, 'bold', plain(title)));
      if (lead !== undefined) write(paint(caps, 'dim', plain(lead)));
    },
    line(text = '') {
      write(text === '' ? '' : `  ${plain(text)}`);
    },
    note(text) {
      write(`  ${paint(caps, 'dim', plain(text))}`);
    },
    ok(text) {
      write(`  ${paint(caps, 'green', '✓')} ${plain(text)}`);
    },
    warn(text) {
      write(`  ${paint(caps, 'yellow', '!')} ${plain(text)}`);
    },
    figures(pairs) {
      // A label may be the org's text too (step 6 counts events by their type): flattened as the values are.
      const labels = pairs.map(([label]) => plain(label));
      const width = Math.max(...labels.map((label) => label.length));
      pairs.forEach(([, value], i) => {
        write(`  ${(labels[i] ?? '').padEnd(width)}  ${paint(caps, 'bold', plain(String(value)))}`);
      });
    },
    table(columns, rows, limit) {
      const shown = limit === undefined ? rows : rows.slice(0, limit);
      for (const text of renderTable(columns, shown)) write(text);
      if (shown.length < rows.length) write(paint(caps, 'dim', `  … ${rows.length - shown.length} more`));
    },
    async task(rawLabel, work) {
      const label = plain(rawLabel);
      const started = now();
      let detail = '';
      let frame = 0;
      const draw = (): void => {
        const spinner = paint(caps, 'cyan', frames[frame % frames.length] ?? '-');
        out.write(`\r  ${spinner} ${label}${detail === '' ? '' : paint(caps, 'dim', `: ${detail}`)}\u001B[K`);
        frame++;
      };
      const timer = caps.animate ? setInterval(draw, 80) : undefined;
      timer?.unref();
      if (caps.animate) draw();
      const finish = (mark: string): void => {
        if (timer !== undefined) clearInterval(timer);
        const line = `  ${mark} ${label}${detail === '' ? '' : `: ${detail}`} ${paint(caps, 'dim', `(${seconds(now() - started)})`)}`;
        out.write(caps.animate ? `\r${line}\u001B[K\n` : `${line}\n`);
      };
      try {
        const result = await work((text) => {
          detail = plain(text);
        });
        finish(paint(caps, 'green', '✓'));
        return result;
      } catch (error) {
        finish(paint(caps, 'red', '✖'));
        throw error;
      }
    },
  };
}

/** Writes nothing: for `--json`, and for tests. */
export function silentUi(): Ui {
  const nothing = (): void => undefined;
  return {
    section: nothing,
    line: nothing,
    note: nothing,
    ok: nothing,
    warn: nothing,
    figures: nothing,
    table: nothing,
    task: (_label, work) => work(nothing),
  };
}
