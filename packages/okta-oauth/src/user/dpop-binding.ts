import type { DpopBinding } from './context.js';
import { OktaSignInError } from './errors.js';

/** Placeholder until the package's DPoP session lands. @internal */
export function createDpopBinding(...args: readonly unknown[]): DpopBinding {
  throw new OktaSignInError('INVALID_CONFIG', `dpop is not available yet for user sign-in (${String(args.length)}).`);
}
