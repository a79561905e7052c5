import { oktaError, ReplyError } from './errors.js';
import { header, isRecord, jsonBody, recordAt, type EmuRequest, type Reply } from './http-types.js';

/**
 * The body of a management API (`/api/v1/*`) write, as Okta reads it: JSON that does not parse is
 * 400 `E0000003` (thrown as a {@link ReplyError}); `profile` (and `credentials`) are taken leniently,
 * a missing or non-object one reading as `{}`, so the field checks that follow name what is blank.
 *
 * @see https://developer.okta.com/docs/reference/error-codes/#E0000003
 */
export function managementBody(req: EmuRequest): { profile: Record<string, unknown>; credentials: Record<string, unknown> } {
  const body = parsedBody(req);
  return { profile: recordAt(body, 'profile'), credentials: recordAt(body, 'credentials') };
}

/**
 * The body of a management write whose fields sit at the top (an app's client secret or JSON Web Key):
 * JSON that does not parse, or that is no object (an array, a string), is 400 `E0000003`; no body reads
 * as `{}`. Its fields are read by name, so one the route does not know is ignored, never kept or echoed.
 *
 * @see https://developer.okta.com/docs/reference/error-codes/#E0000003
 */
export function managementObject(req: EmuRequest): Record<string, unknown> {
  const body = parsedBody(req);
  if (body === undefined) return {};
  if (!isRecord(body)) throw new ReplyError(oktaError(400, 'E0000003'));
  return body;
}

/** The request's JSON body (`undefined` for none), or Okta's 400 `E0000003` for one that is not JSON: the one reading of a management body. */
export function parsedBody(req: EmuRequest): unknown {
  try {
    return jsonBody(req);
  } catch {
    throw new ReplyError(oktaError(400, 'E0000003'));
  }
}

/**
 * Okta's 400 `E0000021` for a management API (`/api/v1/*`) request whose `Content-Type` is not JSON, or
 * `undefined` when it is JSON (compared without case, parameters such as `; charset=UTF-8` allowed) or
 * absent. Okta sent it for a form-encoded body (`okta/okta-sdk-python#309`) and for calls, reads
 * included, that carried the form type of the client's token request (`okta/okta-sdk-python#383`, `#431`);
 * before, the emulator read any body as JSON whatever its type, so such a client passed here and
 * failed against Okta.
 */
export function managementMediaType(req: EmuRequest): Reply | undefined {
  const type = header(req, 'content-type')?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return type === '' || type === 'application/json' ? undefined : oktaError(400, 'E0000021');
}
