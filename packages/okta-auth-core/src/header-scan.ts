/**
 * The one reader of the pieces of RFC 9110 header values (tokens, quoted strings, optional white
 * space, comma-separated elements) under the `Link` and `WWW-Authenticate` parsers. Linear in the
 * header's length; never throws.
 */

/** `tchar` (RFC 9110 §5.6.2). */
const tchar = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/** A cursor over one header value. */
export interface HeaderScan {
  /** The position of the next character to read. */
  i: number;
  /** The character at the cursor (`undefined` past the end). */
  peek(): string | undefined;
  /** True past the end. */
  end(): boolean;
  /** Skips spaces and tabs (and commas when `commas`). */
  spaces(commas?: boolean): void;
  /** Reads a token (possibly empty). */
  token(): string;
  /** Reads characters up to one of `stops` (or the end). */
  until(stops: string): string;
  /** Reads a quoted string at the cursor, unescaped (an unterminated one runs to the end). */
  quoted(): string;
  /** Skips to just after the next comma outside quotes. */
  skipElement(): void;
}

/**
 * A cursor over `s`.
 *
 * @example
 * ```ts
 * const scan = headerScan('Bearer error="x"');
 * scan.token(); // 'Bearer'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.6
 */
export function headerScan(s: string): HeaderScan {
  const n = s.length;
  const scan: HeaderScan = {
    i: 0,
    peek: () => s[scan.i],
    end: () => scan.i >= n,
    spaces(commas = false) {
      while (scan.i < n && (s[scan.i] === ' ' || s[scan.i] === '\t' || (commas && s[scan.i] === ','))) scan.i++;
    },
    token() {
      const start = scan.i;
      while (scan.i < n && tchar.test(s[scan.i] ?? '')) scan.i++;
      return s.slice(start, scan.i);
    },
    until(stops) {
      const start = scan.i;
      while (scan.i < n && !stops.includes(s[scan.i] ?? '')) scan.i++;
      return s.slice(start, scan.i);
    },
    quoted() {
      let out = '';
      // Past the opening quote, to the closing one (or the end).
      for (scan.i++; scan.i < n && s[scan.i] !== '"'; scan.i++) {
        if (s[scan.i] === '\\' && scan.i + 1 < n) scan.i++;
        out += s[scan.i] ?? '';
      }
      scan.i++;
      return out;
    },
    skipElement() {
      while (scan.i < n && s[scan.i] !== ',') {
        if (s[scan.i] === '"') scan.quoted();
        else scan.i++;
      }
      scan.i++;
    },
  };
  return scan;
}
