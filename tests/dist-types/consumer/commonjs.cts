// A CommonJS project (a .cts file, module nodenext): TypeScript ≥ 5.8 types `require()` of the
// ESM-only packages, as Node.js ≥ 20.19 loads them (require(esm)).
import core = require('@org/okta-auth-core');
import oauth = require('@org/okta-oauth');
import ssws = require('@org/okta-ssws');
import redis = require('@org/okta-token-store-redis');

const okta: core.OktaFetch = core.createOktaFetch({ credential: ssws.createSswsCredential({ orgUrl: 'https://acme.okta.com', token: '00abc' }) });
const service: core.OktaCredential = oauth.createOinAppCredential({ orgUrl: 'https://acme.okta.com', clientId: '0oa1', clientSecret: 'secret', scopes: ['okta.users.read'] });
const storage: typeof redis.createRedisTokenStorage = redis.createRedisTokenStorage;
const code = (error: unknown): string | undefined => (core.isOktaAuthError(error) ? error.code : undefined);

export = { okta, service, storage, code };
