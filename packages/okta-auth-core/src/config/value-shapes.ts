// Shapes a configured value is checked against before it is used: what a credential pasted in the
// wrong place, or an example copied from documentation, looks like. Each caller refuses in its own
// words and never quotes the value (it may be a secret).

/**
 * A JWT in compact form: signed (JWS, three segments) or encrypted (JWE, five: an encrypted ID
 * token), its segments base64url with or without padding. The one pattern of the packages:
 * `@org/okta-ssws` refuses an access or ID token given as the API token with it, `@org/okta-oauth`
 * a token given as the client id. @internal
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-3
 */
export const jwtShape = /^eyJ[\w-]*={0,2}(?:(?:\.[\w-]*={0,2}){2}){1,2}$/;

/**
 * A shortened copy: `...` or `…` inside the value, as documentation shortens an example
 * (Okta's API token `00QCjAl4MlV-WPXM...0HmjFx-vbGua`, a README's `0oa…`). No API token has a
 * dot; no client id Okta generates has one either. @internal
 */
export const shortenedCopy = /\.\.\.|\u2026/;
