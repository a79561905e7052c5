/**
 * The secrets of a `Cookie` request header, as sent: each cookie's value (in quotes, what is
 * inside them), never a name. An answer that names the cookies it saw, or quotes a harmless pair
 * (`theme=dark`: a value under the 8 characters `scrub` matches), stays readable; a session
 * cookie's value echoed alone is scrubbed. A pair without `=` is all value (a nameless cookie, as
 * browsers send it). `scrub` finds encoded forms (percent, …) itself. Used by both lists:
 * `requestSecrets` and the attempt's (`attempt-secrets.ts`). @internal
 */
export function cookieSecrets(header: string | null | undefined): string[] {
  // In quotes: what is inside them (an echo with its quotes holds it).
  return header ? header.split(';').map((pair) => pair.slice(pair.indexOf('=') + 1).trim().replace(/^"(.*)"$/, '$1')) : [];
}
