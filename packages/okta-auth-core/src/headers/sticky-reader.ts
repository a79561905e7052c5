/**
 * The one walk of the header parsers (`Link`, `WWW-Authenticate`): `text` read by sticky patterns
 * (flag `y`), each matched where the last match ended and nowhere else, so a parse is linear when
 * each pattern is. `read` gives the match and its groups and moves past it; a pattern that does not
 * match gives an empty list and the position stays (a pattern ending in `(?:($)|)` tells the end: its group is then set). @internal
 *
 * @example
 * ```ts
 * const read = stickyReader('a=1, b=2');
 * read(/(\w+)=(\w+)/y); // ['a=1', 'a', '1']
 * ```
 */
export function stickyReader(text: string): (pattern: RegExp) => (string | undefined)[] {
  let at = 0;
  return (pattern) => {
    pattern.lastIndex = at;
    const match = pattern.exec(text) ?? [];
    // A sticky pattern that does not match sets lastIndex to 0: the position stays.
    at = pattern.lastIndex || at;
    return match;
  };
}
