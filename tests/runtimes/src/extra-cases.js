// The @org/okta-oauth cases (and their failure paths), run when the runner hands over OAuth fixtures.
export async function loadExtraCases(fixture) {
  if (fixture.oauth === undefined) return [];
  const [{ oauthCases }, { browserDpopKeyCases }, { oauthFaultCases }, { storageCases }, { inspectCases }] = await Promise.all([
    import('./cases/oauth.js'),
    import('./cases/browser-dpop-key.js'),
    import('./cases/faults-oauth.js'),
    import('./cases/storage.js'),
    import('./cases/inspect.js'),
  ]);
  return [...oauthCases, ...browserDpopKeyCases, ...storageCases, ...oauthFaultCases, ...inspectCases];
}
