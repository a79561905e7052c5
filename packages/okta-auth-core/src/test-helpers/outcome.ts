import { isOktaAuthError, type OktaAuthError } from '../errors/errors.js';

/** How `call` ended: undefined when it resolved, else its OktaAuthError (anything else fails the test). */
export async function run(call: () => Promise<unknown>): Promise<OktaAuthError<string> | undefined> {
  const error = await call().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error !== undefined && !isOktaAuthError(error)) throw new Error(`expected an OktaAuthError, got ${String(error)}`);
  return error;
}

/** The OktaAuthError `call` rejected with (a call that resolves fails the test). */
export async function rejection(call: () => Promise<unknown>): Promise<OktaAuthError<string>> {
  const error = await run(call);
  if (error === undefined) throw new Error('expected an OktaAuthError, the call resolved');
  return error;
}
