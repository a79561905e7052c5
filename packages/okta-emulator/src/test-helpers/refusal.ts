import { failure } from '@org/okta-test-utils';
import { isOktaEmulatorError } from '../index.js';

/** What a control refused with (its code, the option it names, its message); fails the test when it did not throw an OktaEmulatorError. */
export function refusal(fn: () => unknown): { code: string; option: string; message: string } {
  const { code, option, message } = failure.sync(fn, isOktaEmulatorError);
  return { code, option, message };
}
