/**
 * The values of a space-delimited request parameter (`scope`, `prompt`, `acr_values`, `enroll_amr_values`), in
 * order: the text split at each space (%x20), empty values (from leading, trailing or repeated spaces) dropped.
 * An absent parameter has none. The one splitter of the emulator's OAuth parameters.
 *
 * @example
 * spaceDelimited('openid  profile '); // ['openid', 'profile']
 * spaceDelimited(null); // []
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 */
export function spaceDelimited(raw: string | null | undefined): string[] {
  return (raw ?? '').split(' ').filter((value) => value !== '');
}
