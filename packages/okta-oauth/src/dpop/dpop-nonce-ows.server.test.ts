/**
 * A `DPoP-Nonce` as it arrives over HTTP/1.1: a field value may be followed by optional whitespace
 * (RFC 9112 §5), and undici (Node.js's fetch, 20 and later) strips only the leading one, so
 * `headers.get` gives `nonce-1 \t`. The nonce is what the spaces and tabs enclose, never ignored
 * for them (nor for anything else trimmed: `dpop-session.test.ts`). A scripted token endpoint on
 * 127.0.0.1, answering with Node's own HTTP server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceAppCredential } from '../service-app.js';
import { testKey } from '../test-helpers/keys.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A token endpoint asking for a nonce (sent as `nonce`), then answering a token; keeps each POST's proof. */
async function nonceEndpoint(nonce: string): Promise<{ url: string; proofs: (string | undefined)[] }> {
  const proofs: (string | undefined)[] = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      proofs.push(request.headers.dpop as string | undefined);
      if (proofs.length === 1) {
        response.writeHead(400, { 'content-type': 'application/json', 'dpop-nonce': nonce });
        response.end(JSON.stringify({ error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof.' }));
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ access_token: 'at-from-the-scripted-org', token_type: 'DPoP', expires_in: 3600, scope: 'okta.users.read' }));
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, proofs };
}

describe('a DPoP-Nonce with optional whitespace around it', () => {
  it.each([
    ['after it', 'nonce-1 \t'],
    ['before and after it', ' \tnonce-1\t '],
  ])('is the nonce the next proof carries (whitespace %s)', async (_, header) => {
    const org = await nonceEndpoint(header);
    const credential = createServiceAppCredential({ orgUrl: org.url, clientId: '0oa1scripted', privateKey: testKey('p256').pem, scopes: ['okta.users.read'], dpop: 'required', allowInsecureLoopback: true });
    const sent = await credential.authorize({ method: 'GET', url: new URL('/api/v1/users', org.url) });
    expect(sent.authorization).toBe('DPoP at-from-the-scripted-org');
    expect(org.proofs.map((proof) => (proof === undefined ? undefined : decodeJwt(proof).nonce))).toEqual([undefined, 'nonce-1']);
  });
});
