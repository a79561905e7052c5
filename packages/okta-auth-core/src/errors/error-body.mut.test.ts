// Mutation testing, thirty-first round: what an OktaApiError keeps and quotes of Okta's `errorCauses`
// (`error-body.ts`: `parseErrorBody`'s bound, `quotedCauses`), each test killing a mutant the older tests let live.
import { describe, expect, it } from 'vitest';
import { OktaApiError } from './api-error.js';

const url = new URL('https://acme.okta.com/api/v1/users');
const summary = 'Api validation failed: login';

/** The error of a 400 whose body carries these causes. */
function answer(causes: unknown[]): OktaApiError {
  const bodyText = JSON.stringify({ errorCode: 'E0000001', errorSummary: summary, errorCauses: causes });
  return OktaApiError.fromParts({ status: 400, statusText: 'Bad Request', headers: new Headers(), bodyText }, { method: 'POST', url });
}

const cause = (n: number) => ({ errorSummary: `login: cause ${n}` });

describe('errorCauses (error-body.ts)', () => {
  it('quotes exactly 3 causes with no count after them ("and 0 more" would send a reader looking for none)', () => {
    expect(answer([cause(1), cause(2), cause(3)]).message).toBe(`400 E0000001 ${summary}. login: cause 1; login: cause 2; login: cause 3 (POST acme.okta.com/api/v1/users)`);
  });

  it('keeps at most 20 causes of a body that sends more, and counts in the message only those it keeps', () => {
    const error = answer(Array.from({ length: 1000 }, (_, i) => cause(i + 1)));
    expect(error.errorCauses).toEqual(Array.from({ length: 20 }, (_, i) => cause(i + 1)));
    expect(error.message).toBe(`400 E0000001 ${summary}. login: cause 1; login: cause 2; login: cause 3; and 17 more (errorCauses) (POST acme.okta.com/api/v1/users)`);
  });

  it('quotes no cause that cleaning left empty (control characters, spaces), so the message has no empty part', () => {
    const error = answer([{ errorSummary: '\u001b\u0000\u0085' }, { errorSummary: '   ' }, cause(1)]);
    expect(error.message).toBe(`400 E0000001 ${summary}. login: cause 1 (POST acme.okta.com/api/v1/users)`);
    const blank = answer([{ errorSummary: '\u202e' }]);
    expect(blank.message).toBe(`400 E0000001 ${summary} (POST acme.okta.com/api/v1/users)`);
  });
});
