// The bundle entry points (bench/entries/*.ts): ours, each with the
// alternative it is compared against, and the alternatives.

/**
 * @typedef {{ id: string, label: string, file: string, ours: boolean, needs: string[], against?: string[] }} Entry
 * @type {Entry[]}
 */
export const ENTRIES = [
  {
    id: 'ssws-fetch',
    label: 'SSWS client (fetch wrapper)',
    file: 'ssws-fetch.ts',
    ours: true,
    needs: ['@org/okta-auth-core', '@org/okta-ssws'],
    against: ['alt-okta-sdk-nodejs-ssws'],
  },
  {
    id: 'ssws-ky',
    label: 'SSWS client (ky instance, ky included)',
    file: 'ssws-ky.ts',
    ours: true,
    needs: ['@org/okta-auth-core', '@org/okta-ssws'],
    against: ['alt-okta-sdk-nodejs-ssws'],
  },
  {
    id: 'service-app-dpop',
    label: 'Service app, private_key_jwt + DPoP',
    file: 'service-app-dpop.ts',
    ours: true,
    needs: ['@org/okta-auth-core', '@org/okta-oauth'],
    against: ['alt-openid-client-cc-dpop', 'alt-oauth4webapi-cc-dpop'],
  },
  {
    id: 'browser-sign-in',
    label: 'Browser user sign-in (PKCE)',
    file: 'browser-sign-in.ts',
    ours: true,
    needs: ['@org/okta-auth-core', '@org/okta-oauth'],
    against: ['alt-okta-auth-js-sign-in', 'alt-okta-auth-js-core-sign-in'],
  },
  { id: 'alt-okta-sdk-nodejs-ssws', label: '@okta/okta-sdk-nodejs (SSWS; PrivateKey mode bundles the same code)', file: 'alt-okta-sdk-nodejs-ssws.ts', ours: false, needs: [] },
  { id: 'alt-openid-client-cc-dpop', label: 'openid-client, client credentials + DPoP', file: 'alt-openid-client-cc-dpop.ts', ours: false, needs: [] },
  { id: 'alt-oauth4webapi-cc-dpop', label: 'oauth4webapi, client credentials + DPoP', file: 'alt-oauth4webapi-cc-dpop.ts', ours: false, needs: [] },
  { id: 'alt-okta-auth-js-sign-in', label: '@okta/okta-auth-js, sign-in with PKCE', file: 'alt-okta-auth-js-sign-in.ts', ours: false, needs: [] },
  {
    id: 'alt-okta-auth-js-core-sign-in',
    label: '@okta/okta-auth-js/core, sign-in with PKCE',
    file: 'alt-okta-auth-js-core-sign-in.ts',
    ours: false,
    needs: [],
  },
];

export const entryUrl = (entry) => new URL(`../entries/${entry.file}`, import.meta.url);
