import { runtimeToken } from '@org/okta-auth-core/internal';

/**
 * `x-okta-user-agent-extended: isDPoP:true`, as Okta's Go and Python SDKs send on DPoP calls.
 * Left out in browsers, where the core uses that header to carry the User-Agent.
 * @internal
 */
export function dpopUserAgentHeader(): Readonly<Record<string, string>> {
  return runtimeToken() === 'browser' ? {} : { 'x-okta-user-agent-extended': 'isDPoP:true' };
}
