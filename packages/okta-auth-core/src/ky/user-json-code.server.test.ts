/**
 * ky's `stringifyJson` and `parseJson` are user code: what they throw reaches the caller of a
 * `createOktaKy` call as itself, a `TypeError` included (the runtime's refusal to build a request is
 * relabelled `INVALID_CONFIG`, since its message can quote a header value; a serializer's is not
 * that), and nothing is sent. A parser's output for an error body is not trusted: the error is made
 * from the body core read. The scripted server answers 200, or 400 on `/bad`.
 */
import { json } from '@org/okta-test-utils';
import ky, { type Options } from 'ky';
import { describe, expect, it } from 'vitest';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { rejected } from '../test-helpers/outcome.js';
import { printed } from '../test-helpers/printed.js';
import { createOktaKy } from './create-okta-ky.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';


const okta = useScriptedServer((req, res) => (req.path.includes('bad') ? json(res, 400, { errorCode: 'E0000001', errorSummary: 'Api validation failed' }) : json(res, 200, { ok: true })));

const refused = new TypeError('my serializer refused the payload');
const stringifyJson = (): string => {
  throw refused;
};

describe("createOktaKy: what a stringifyJson throws reaches the caller as itself, nothing sent", () => {
  const api = (base?: Options) => createOktaKy({ credential: countingCredential(okta.origin), ...(base && { ky: ky.create(base) }) });
  const rows: [string, () => unknown][] = [
    ["a call's stringifyJson", () => api().post('api/v1/users', { json: { a: 1 }, stringifyJson })],
    ["an extend's stringifyJson", () => api().extend({ stringifyJson }).post('api/v1/users', { json: { a: 1 } })],
    ["an extend function's stringifyJson", () => api().extend((parent) => ({ ...parent, stringifyJson })).post('api/v1/users', { json: { a: 1 } })],
    ["the base instance's stringifyJson", () => api({ stringifyJson }).post('api/v1/users', { json: { a: 1 } })],
  ];
  it.each(rows)('%s', async (_, call) => {
    expect(await rejected(call)).toBe(refused);
    expect(okta.requests).toHaveLength(0);
  });

  it("JSON.stringify's own TypeError (a BigInt in json) is itself too, not a header said to be malformed", async () => {
    const error = await rejected(() => api().post('api/v1/users', { json: { n: 1n } }));
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toMatch(/BigInt/);
    expect(okta.requests).toHaveLength(0);
  });

  it('a header value that cannot be sent is still INVALID_CONFIG, its value not quoted', async () => {
    const error = await rejected(() => api().post('api/v1/users', { json: { a: 1 }, headers: { 'x-note': 'secret-header-value\nmore' } }));
    expect(error).toMatchObject({ code: 'INVALID_CONFIG' });
    expect(printed(error).join('\n')).not.toContain('secret-header-value');
  });

  it('a stringifyJson that works is used', async () => {
    await api().post('api/v1/users', { json: { a: 1 }, stringifyJson: () => '{"b":2}' });
    expect(okta.requests.map((request) => request.body)).toEqual(['{"b":2}']);
  });
});

describe('createOktaKy: parseJson is user code too', () => {
  const api = () => createOktaKy({ credential: countingCredential(okta.origin) });
  const parserError = new TypeError('my parser refused the answer');
  const parseJson = (): never => {
    throw parserError;
  };

  it('what it throws reading a 2xx reaches the caller as itself, by the shortcut or the Response', async () => {
    expect(await rejected(() => api().get('api/v1/users', { parseJson }).json())).toBe(parserError);
    expect(await rejected(async () => (await api().get('api/v1/users', { parseJson })).json())).toBe(parserError);
  });

  it("an error body: the error is the body core read, whatever the parser returns or throws", async () => {
    const odd = { errorCode: 'E0000999', errorSummary: 'made up by the parser', toJSON: () => 'x'.repeat(1_000_000) };
    for (const parse of [() => odd, parseJson]) {
      const error = await rejected(() => api().get('api/v1/bad', { parseJson: parse }));
      expect(error).toMatchObject({ code: 'API_ERROR', status: 400, errorCode: 'E0000001' });
      expect(printed(error).join('\n')).not.toContain('made up');
    }
  });
});
