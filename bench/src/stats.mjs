// Small statistics and formatting helpers shared by the benchmarks.

/** The median of a list of numbers (NaN for an empty list). */
export function median(values) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** Fixed-precision number, or an em dash when not a number. */
export function fmt(value, digits = 1) {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "1.23×" */
export function ratio(a, b, digits = 2) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '—';
  return `${fmt(a / b, digits)}×`;
}

/** Bytes as "12.3 kB" (SI, like npm). */
export function bytes(n) {
  if (!Number.isFinite(n)) return '—';
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${fmt(n / 1e3, 1)} kB`;
  return `${fmt(n / 1e6, 2)} MB`;
}

/** A Markdown table from a header row and data rows. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}
