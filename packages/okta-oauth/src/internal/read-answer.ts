import { logFailure } from '@org/okta-auth-core/internal';

/**
 * Reads an answer core handed back (`throwHttpErrors: false`) with `read`, the caller's reading
 * of it. Whatever `read` throws is the caller's error (a refused token request as the caller
 * types it, a discovery 404, a field refused, a body cut short) and ends the attempt's log first,
 * with that error's `code` (core's `logFailure`, as the drivers end their own failures): the one
 * way okta-oauth ends an attempt's log, so the log names the code the caller gets. @internal
 */
export async function readAnswer<T>(response: Response, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    logFailure(response, error);
    throw error;
  }
}
