import { isOktaOAuthError } from '../errors.js';

/** `<code>: <message>` for this package's typed error, `not ours: …` for anything else thrown. */
const described = (error: unknown): string => (isOktaOAuthError(error) ? `${error.code}: ${error.message}` : `not ours: ${String(error)}`);

/**
 * What a synchronous check did with a value, as one string to compare: `<code>: <message>` for this
 * package's typed error, `accepted` when it returned, `not ours: …` for anything else thrown.
 */
export function refusal(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return described(error);
  }
}

/** {@link refusal} of a call that may also reject: what it threw or rejected with, or `accepted` once it settled. */
export async function awaitedRefusal(work: () => unknown): Promise<string> {
  try {
    await work();
    return 'accepted';
  } catch (error) {
    return described(error);
  }
}
