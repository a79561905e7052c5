import type { AuthorizationHeaders, OktaCredential, RequestAttempt } from '../credential.js';

/** A credential that numbers its attempts, so tests can see each one was authorized afresh. */
export function countingCredential(origin: string, options: { challenge?: (response: Response) => boolean } = {}): OktaCredential & { attempts: RequestAttempt[] } {
  const attempts: RequestAttempt[] = [];
  return {
    kind: 'test',
    origin,
    attempts,
    authorize(attempt): Promise<AuthorizationHeaders> {
      attempts.push(attempt);
      return Promise.resolve({ authorization: `Test secret-token-value-${attempts.length}`, dpop: `proof-value-number-${attempts.length}` });
    },
    ...(options.challenge === undefined ? {} : { challenge: ({ response }) => Promise.resolve(options.challenge?.(response) ?? false) }),
  };
}
