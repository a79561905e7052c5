import { describe, expect, it } from 'vitest';
import { isOktaEmulatorError, OktaEmulatorError } from './emulator-error.js';

describe('isOktaEmulatorError', () => {
  it('knows its own errors and one from another copy of the package (the brand), as core guards its errors', () => {
    expect(isOktaEmulatorError(new OktaEmulatorError('INVALID_OPTION', 'port', 'port must be a number'))).toBe(true);
    const foreign = Object.assign(new Error('from another copy'), { code: 'INVALID_OPTION', option: 'port' });
    Object.defineProperty(foreign, Symbol.for('@org/okta-emulator/error'), { value: true });
    expect(isOktaEmulatorError(foreign)).toBe(true);
    const codeless = new Error('branded, no code');
    Object.defineProperty(codeless, Symbol.for('@org/okta-emulator/error'), { value: true });
    expect(isOktaEmulatorError(codeless)).toBe(false);
    for (const other of [new TypeError('port'), { code: 'INVALID_OPTION' }, null, 'INVALID_OPTION']) expect(isOktaEmulatorError(other)).toBe(false);
  });
});
