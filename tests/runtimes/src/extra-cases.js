// The @org/okta-oauth cases, run when the runner hands over OAuth fixtures.
export async function loadExtraCases(fixture) {
  if (fixture.oauth === undefined) return [];
  const { oauthCases } = await import('./cases/oauth.js');
  return oauthCases;
}
