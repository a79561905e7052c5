/**
 * What an @example without imports may take as given, the way a reader does: "the client",
 * "the error you caught". Declared only when the example uses the name and does not declare it.
 * Anything else an example needs, it declares or imports itself.
 */
const expressLike =
  "{ originalUrl: string; session: { signIn?: import('@org/okta-oauth').SignInTransaction; tokens?: import('@org/okta-oauth').StoredUserTokens | undefined } }";
const commonFixtures = {
  error: { declaration: 'declare const error: unknown; // what you caught' },
  response: { declaration: 'declare const response: Response;' },
  okta: { declaration: "declare const okta: import('@org/okta-auth-core').OktaFetch;" },
  org: { declaration: "declare const org: import('@org/okta-emulator').OktaEmulator;" },
};
export const exampleFixtures = {
  '@org/okta-auth-core': { ...commonFixtures, credential: { declaration: "declare const credential: import('@org/okta-auth-core').OktaCredential;" } },
  '@org/okta-ssws': commonFixtures,
  '@org/okta-emulator': commonFixtures,
  '@org/okta-token-store-redis': {
    ...commonFixtures,
    client: { declaration: "declare const client: import('@org/okta-token-store-redis').RedisClientLike; // your connected node-redis or ioredis client" },
    encryption: { declaration: "declare const encryption: import('@org/okta-token-store-redis').EncryptionKeys;" },
  },
  '@org/okta-token-store-durable-object': commonFixtures,
  '@org/okta-oauth': {
    ...commonFixtures,
    credential: { declaration: "declare const credential: import('@org/okta-oauth').UserCredential;" },
    client: { declaration: "declare const client: import('@org/okta-oauth').SignInClient;" },
    signIn: { declaration: "declare const signIn: import('@org/okta-oauth').SignInClient;" },
    transaction: { declaration: "declare const transaction: import('@org/okta-oauth').SignInTransaction;" },
    tokens: { declaration: "declare const tokens: import('@org/okta-oauth').UserTokens;" },
    callbackUrl: { declaration: 'declare const callbackUrl: string; // the URL Okta redirected to' },
    req: { declaration: `declare const req: ${expressLike}; // an Express request with express-session` },
    session: { declaration: `declare const session: ${expressLike}['session'];` },
    res: { declaration: 'declare const res: { redirect(url: string): void };' },
    redis: {
      declaration:
        'declare const redis: { get(key: string): Promise<string | null>; set(key: string, value: string, options?: { EX?: number; PXAT?: number }): Promise<unknown>; del(key: string): Promise<unknown> }; // a node-redis client',
    },
  },
};
