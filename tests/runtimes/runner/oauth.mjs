// OAuth fixtures (filled in when @org/okta-oauth lands).
export async function oauthSetup() {
  return { available: undefined, skipped: ['@org/okta-oauth has not landed yet'] };
}
