// How `scrub` (secret.ts) compares a secret with a text: both folded the same way (case, escapes,
// line breaks), and the secret's other forms (base64 at each offset) made once. Its own module, so
// secret.ts stays the list and the masking.

/**
 * An escape an echo may put a character in: a percent-encoded byte, once or twice (`%2F`,
 * `%252F`), JSON's `\uXXXX`, `\/`, `\\`, `\"`, an HTML character reference (`&#47;`, `&#x2F;`,
 * and the five an escaper names: `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`).
 */
const escape = /%(?:25)?[\da-f]{2}|\\u[\da-f]{4}|\\[\\/"]|&#(?:\d{1,7}|x[\da-f]{1,6});|&(?:amp|lt|gt|quot|apos);/iy;
const percent = /%(?:25)?([\da-f]{2})/iy;
const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Lower case (`İ` as `i`: the one mapping that would change the length), `+` a space (form encoding). */
export const lowered = (text: string): string => text.replace(/\u0130/g, 'i').toLowerCase().replace(/\+/g, ' ');

/**
 * What the escape `found` at `at` stands for, and where what it takes ends (a percent-encoded
 * character: the 1 to 4 UTF-8 bytes its first says, a bad sequence as U+FFFD, no throw); none
 * when the bytes its first says are not there.
 */
function decoded(text: string, at: number, found: string, utf8: TextDecoder): [string, number] | undefined {
  if (found.startsWith('&')) {
    const hex = /^&#x/i.test(found);
    const code = found.charAt(1) === '#' ? parseInt(found.slice(hex ? 3 : 2, -1), hex ? 16 : 10) : -1;
    return [code < 0 ? (named[found.slice(1, -1).toLowerCase()] ?? '') : code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd', at + found.length];
  }
  if (found.startsWith('\\')) return [found.length > 2 ? String.fromCharCode(parseInt(found.slice(2), 16)) : found.charAt(1), at + found.length];
  percent.lastIndex = at;
  const bytes: number[] = [];
  let count = 1;
  while (bytes.length < count) {
    const match = percent.exec(text);
    if (match === null) return undefined;
    const byte = parseInt(match[1] ?? '', 16);
    if (bytes.length === 0) count = byte < 0xc0 ? 1 : byte < 0xe0 ? 2 : byte < 0xf0 ? 3 : 4;
    bytes.push(byte);
  }
  return [count === 1 ? String.fromCharCode(bytes[0] ?? 0) : utf8.decode(new Uint8Array(bytes)), percent.lastIndex];
}

/**
 * Text as it is compared with a secret, each unit with the span of `text` it came from (none: each
 * its own character): {@link lowered}, every escape decoded once, line breaks dropped (a wrapped
 * base64 block). The same folding of a secret and of an echo finds it in any of those forms.
 */
export function fold(text: string): [string, Int32Array?, Int32Array?] {
  const lower = lowered(text);
  // Nothing to decode or drop (most text): each unit comes from its own character.
  if (!/[%\\&\r\n]/.test(text)) return [lower];
  let out = '';
  // No escape decodes to more units than its characters.
  const from = new Int32Array(text.length);
  const to = new Int32Array(text.length);
  const utf8 = new TextDecoder();
  for (let at = 0; at < text.length; ) {
    let units = lower.charAt(at);
    let end = at + 1;
    if (units === '%' || units === '\\' || units === '&') {
      escape.lastIndex = at;
      const found = escape.exec(text)?.[0];
      const escaped = found === undefined ? undefined : decoded(text, at, found, utf8);
      if (escaped !== undefined) [units, end] = [lowered(escaped[0]), escaped[1]];
    }
    for (let k = 0; k < units.length; k++) {
      const unit = units.charAt(k);
      if (unit === '\r' || unit === '\n') continue;
      from[out.length] = at;
      to[out.length] = end;
      out += unit;
    }
    at = end;
  }
  return [out, from, to];
}

/**
 * Characters that `encodeURIComponent` and form encoding (`URLSearchParams`) both leave as they
 * are: a value made only of them (a JWT, a DPoP proof, a base64url or most token68 values) is
 * its own encoding, so its base64 is made once, not three times (`secret.test.ts` checks this
 * against both encoders).
 */
const selfEncoded = /^[\w.-]*$/;

/** The value, its form and URL encodings, each once (a form body echoed in base64 carries one of them). */
function withEncodings(value: string): string[] {
  if (selfEncoded.test(value)) return [value];
  try {
    const out = [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)];
    return out.filter((v, i) => out.indexOf(v) === i);
  } catch {
    // A lone surrogate (a value no request can carry as it is): scrub never throws.
    return [value];
  }
}

/**
 * What finds a secret in an echo, given the secret `folded`: that (so its case changed, percent-,
 * form-, JSON- or HTML-escaped), the same without decoding and its URL and form encodings folded
 * (the echo of a value that holds an escape, encoded), and the base64 and base64url characters that encode the secret's bytes alone,
 * for each of the three offsets it can start at in a longer encoded text (a server echoing the
 * base64 of a whole header block), and the hex of its bytes (either case: the text is folded), of the
 * secret and of its URL and form encodings (a form body echoed in base64). Each of 8 characters or more.
 */
export function needles(secret: string, folded: string): string[] {
  const out = [folded, lowered(secret).replace(/[\r\n]/g, '')];
  for (const value of withEncodings(secret)) {
    // An exact echo of an encoding, folded as the text is (`%2541` twice decoded, `%5C` once).
    if (value !== secret) out.push(fold(value)[0]);
    let bytes = '';
    // Its bytes in hex too (a tracer's dump of a header): lower case, as the text is folded, so upper case too.
    let hex = '';
    for (const byte of new TextEncoder().encode(value)) {
      bytes += String.fromCharCode(byte);
      hex += (byte | 256).toString(16).slice(1);
    }
    for (let offset = 0; offset < 3; offset++) {
      const run = btoa('\0'.repeat(offset) + bytes).slice(Math.ceil((offset * 4) / 3), Math.floor(((offset + bytes.length) * 4) / 3));
      out.push(lowered(run), lowered(run.replace(/\+/g, '-').replace(/\//g, '_')));
    }
    out.push(hex);
  }
  return out.filter((needle) => needle.length >= 8);
}

/**
 * Calls `found(start, end)` (units of `text`) for every run of `pattern`'s first `least` units or
 * more in `text`, each ending where it ends (a run's units are all covered by the calls for the
 * places it ends at `least` or more). One pass over `text` and one over `pattern` (Knuth-Morris-Pratt):
 * an answer made of one character repeated, echoing a secret of the same, costs no more than any
 * other, where a search from each match on would cost the text's length times the secret's.
 */
export function prefixRuns(text: string, pattern: string, least: number, found: (start: number, end: number) => void): void {
  // Most texts hold no run: the native search says so at once.
  const first = text.indexOf(pattern.slice(0, least));
  if (first < 0) return;
  // fall[i]: the longest proper prefix of the pattern's first i + 1 units that also ends them.
  const fall = new Int32Array(pattern.length);
  for (let i = 1, k = 0; i < pattern.length; i++) {
    while (k > 0 && pattern.charCodeAt(i) !== pattern.charCodeAt(k)) k = fall[k - 1] ?? 0;
    if (pattern.charCodeAt(i) === pattern.charCodeAt(k)) k++;
    fall[i] = k;
  }
  for (let at = first, matched = 0; at < text.length; at++) {
    while (matched > 0 && (matched === pattern.length || text.charCodeAt(at) !== pattern.charCodeAt(matched))) matched = fall[matched - 1] ?? 0;
    if (text.charCodeAt(at) === pattern.charCodeAt(matched)) matched++;
    if (matched >= least) found(at + 1 - matched, at + 1);
  }
}
