import { oktaError, ReplyError } from './errors.js';
import { jsonBody, recordAt, type EmuRequest } from './http-types.js';

/**
 * The body of a management API (`/api/v1/*`) write, as Okta reads it: JSON that does not parse is
 * 400 `E0000003` (thrown as a {@link ReplyError}); `profile` (and `credentials`) are taken leniently,
 * a missing or non-object one reading as `{}`, so the field checks that follow name what is blank.
 *
 * @see https://developer.okta.com/docs/reference/error-codes/#E0000003
 */
export function managementBody(req: EmuRequest): { profile: Record<string, unknown>; credentials: Record<string, unknown> } {
  let body: unknown;
  try {
    body = jsonBody(req);
  } catch {
    throw new ReplyError(oktaError(400, 'E0000003'));
  }
  return { profile: recordAt(body, 'profile'), credentials: recordAt(body, 'credentials') };
}
