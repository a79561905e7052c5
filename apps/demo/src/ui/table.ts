import { plain, visibleLength } from './terminal.js';

/** A column of {@link renderTable}: a heading and how to read the cell from a row. */
export interface Column<Row> {
  readonly heading: string;
  readonly cell: (row: Row) => string;
  /** Longest cell, longer ones end in `…`. @default 40 */
  readonly max?: number;
  readonly align?: 'left' | 'right';
}

function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const gap = ' '.repeat(Math.max(0, width - visibleLength(text)));
  return align === 'right' ? gap + text : text + gap;
}

/** A plain-text table: a heading row, a rule, the rows; columns as wide as their widest cell. */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[], indent = '  '): string[] {
  const cells = rows.map((row) => columns.map((column) => fit(plain(column.cell(row)), column.max ?? 40)));
  const widths = columns.map((column, i) => Math.max(column.heading.length, ...cells.map((line) => visibleLength(line[i] ?? ''))));
  const line = (values: readonly string[]): string =>
    indent +
    values
      .map((value, i) => pad(value, widths[i] ?? 0, columns[i]?.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.heading)), indent + widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)];
}
