import type { AnswerState } from '@org/okta-auth-core';
import type { TokenAdvice } from '../credential/token-credential.js';
import type { ClientContext } from './context.js';
import type { UserTokens } from './tokens.js';

/**
 * What sign-out needs of a credential (`signOut(client, credential)`): the client it belongs to,
 * its current tokens, and the end of its local session. @internal
 */
export interface CredentialSession {
  readonly ctx: ClientContext;
  current(): UserTokens | undefined;
  /**
   * Settles once the storage removal of the session's end (another sign-out, a refused refresh)
   * has; makes it again if it failed (a storage error, its caller's signal), and undoes again a
   * write that landed after it whose undoing failed, bounded by `signal` (which does not stop
   * the wait for the removal under way: the caller's `waitFor` does; the caller handles its
   * rejection even when it stopped waiting).
   */
  removed(signal: AbortSignal | undefined): Promise<void>;
  /**
   * Ends the local session (drops the tokens, removes them from storage after the writes under
   * way, and what one that outlasted timeoutMs wrote once it lands, calls `onTokens(null)`, or the
   * renewal does after its `onTokens` under way, which is not waited for: it may be the caller);
   * tokens a refresh already in flight brings back afterwards go to `revokeLate`, not to the app
   * nor to storage (`revokeUnkept`: it never rejects, and resolves to what user code threw); none: only dropped
   * (`@org/okta-oauth/sign-in`'s end of a session another tab signed out, `endRotatedFrom`).
   */
  end(signal: AbortSignal | undefined, revokeLate: ClientContext['revokeUnkept']): Promise<void>;
  /** The credential's `explain` with another advice for one call's answer (`userInfo`'s), the same granted scopes. */
  explain(state: AnswerState, advice: TokenAdvice): string | undefined;
}
