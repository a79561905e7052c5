import type { AnswerState } from '@org/okta-auth-core';
import { parseWwwAuthenticate } from '@org/okta-auth-core/internal';

/**
 * The one reading of a refusal for a missing scope, an app's or a user's token alike: the
 * parameters of its `insufficient_scope` challenge when the answer is `insufficient_scope` or a
 * 403 (Okta's body then says E0000006, which wins `errorCode`, and only the challenge names the
 * scope); else `undefined`.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 * @internal
 */
export function scopeChallenge(response: Response, errorCode: AnswerState['errorCode']): Readonly<Record<string, string | undefined>> | undefined {
  if (errorCode === 'insufficient_scope' || response.status === 403) {
    return parseWwwAuthenticate(response.headers.get('www-authenticate')).find((challenge) => challenge.params.error === 'insufficient_scope')?.params;
  }
  return undefined;
}
