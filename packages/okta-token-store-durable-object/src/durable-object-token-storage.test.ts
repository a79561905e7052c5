/**
 * The storage against the real OktaTokenStoreObject in this process (over a Map standing for its
 * storage): what fits the limits goes through. The object's body bound (`maxBodyBytes`) must hold a
 * request of two values at their longest as JSON: a control character or a lone surrogate is escaped
 * to six bytes (`\u0001`), so a value of 32,768 of them is 196,608 bytes on the wire.
 */
import { describe, expect, it } from 'vitest';
import { createDurableObjectTokenStorage } from './index.js';
import { maxValueChars } from './protocol.js';
import { objectNamespace } from './test-helpers/memory-storage.js';

describe('createDurableObjectTokenStorage: values at the limit', () => {
  it(`replaceIfEqual of two ${maxValueChars}-character values that JSON escapes to six bytes a character goes through`, async () => {
    const { namespace } = objectNamespace();
    const storage = createDurableObjectTokenStorage({ namespace });
    const [before, after] = ['\u0001'.repeat(maxValueChars), '\ud800'.repeat(maxValueChars)];
    expect(JSON.stringify(before)).toHaveLength(6 * maxValueChars + 2);
    await storage.set('k', before);
    expect(await storage.replaceIfEqual!('k', before, after)).toBe(true);
    expect(await storage.get('k')).toBe(after);
    expect(await storage.removeIfEqual!('k', after)).toBe(true);
    // One character more is refused before it is sent, naming the limit.
    await expect(storage.set('k', `${before}x`)).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED', message: `A value of ${maxValueChars + 1} characters is over the token store's ${maxValueChars}.` });
  });
});
