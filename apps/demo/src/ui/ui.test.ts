import { describe, expect, it } from 'vitest';
import { renderTable } from './table.js';
import { terminalCaps } from './terminal.js';
import { plural, terminalUi } from './ui.js';

describe('terminalCaps', () => {
  it('colours and animates on a TTY; NO_COLOR turns colours off; a pipe gets neither', () => {
    expect(terminalCaps({ isTTY: true }, {})).toEqual({ color: true, animate: true });
    expect(terminalCaps({ isTTY: true }, { NO_COLOR: '1' })).toEqual({ color: false, animate: true });
    expect(terminalCaps({ isTTY: false }, {})).toEqual({ color: false, animate: false });
    expect(terminalCaps({ isTTY: false }, { FORCE_COLOR: '1' })).toEqual({ color: true, animate: false });
    expect(terminalCaps({ isTTY: true }, { CI: 'true' }).animate).toBe(false);
  });
});

describe('renderTable', () => {
  it('aligns columns to their widest cell and shortens long cells', () => {
    const lines = renderTable(
      [
        { heading: 'Login', cell: (r: { login: string; n: number }) => r.login, max: 12 },
        { heading: 'N', cell: (r) => String(r.n), align: 'right' },
      ],
      [
        { login: 'ann@example.com', n: 1 },
        { login: 'bo@x.io', n: 200 },
      ],
    );
    expect(lines).toEqual(['  Login           N', '  ────────────  ───', '  ann@example…    1', '  bo@x.io       200']);
  });
});

describe('terminalUi', () => {
  it('without a TTY, a task prints one line when it ends, with its detail and time', async () => {
    let out = '';
    let clock = 0;
    const ui = terminalUi({ write: (text: string) => (out += text) }, { color: false, animate: false }, () => clock);
    const value = await ui.task('Listing', (progress) => {
      progress('3 pages');
      clock = 1500;
      return Promise.resolve(7);
    });
    expect(value).toBe(7);
    expect(out).toBe('  ✓ Listing: 3 pages (1.5 s)\n');
  });

  it('a failed task is marked and its error passes through', async () => {
    let out = '';
    const ui = terminalUi({ write: (text: string) => (out += text) }, { color: false, animate: false }, () => 0);
    await expect(ui.task('Failing', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(out).toBe('  ✖ Failing (0.0 s)\n');
  });
});

describe('plural', () => {
  it('says 1 step and 0 or 2 steps', () => {
    expect(plural(1, 'step')).toBe('1 step');
    expect(plural(0, 'step')).toBe('0 steps');
    expect(plural(2, 'user')).toBe('2 users');
  });
});
