// @org/okta-oauth against the emulator (filled in when the package lands).
export const oauthCases = [];
