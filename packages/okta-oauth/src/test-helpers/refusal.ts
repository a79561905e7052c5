import { isOktaOAuthError } from '../errors.js';

/**
 * What a synchronous check did with a value, as one string to compare: `<code>: <message>` for this
 * package's typed error, `accepted` when it returned, `not ours: …` for anything else thrown.
 */
export function refusal(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return isOktaOAuthError(error) ? `${error.code}: ${error.message}` : `not ours: ${String(error)}`;
  }
}
