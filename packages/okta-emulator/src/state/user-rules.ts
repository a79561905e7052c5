/**
 * The rules a user's login and password must meet, the one check for the management API
 * (`POST /api/v1/users`, its updates) and the programmatic `createUser()`: a user the emulator holds
 * is one the API could have created. See docs/FIDELITY.md, E3, E6 and E7.
 */

/** `UserProfile.login` "maxLength: 100" (OAS), counted in characters (code points) as JSON Schema counts them. */
export const MAX_LOGIN_CHARACTERS = 100;

/**
 * The minimum length of Okta's default password policy: "Passwords must be at least 8 characters in
 * length" (Okta's release notes 2018.09, the `E0000001` example with reason `LENGTH_MINIMUM`). The
 * policy's other rules (a lowercase and an uppercase letter, a number, no part of the username) are
 * not emulated.
 */
export const MIN_PASSWORD_CHARACTERS = 8;

/** A string's length in characters (code points): an astral character is one, not two UTF-16 code units. */
export function characters(value: string): number {
  return Array.from(value).length;
}

/** Whether `login` is longer than {@link MAX_LOGIN_CHARACTERS}. */
export function loginTooLong(login: string): boolean {
  return characters(login) > MAX_LOGIN_CHARACTERS;
}

/** Whether `password` is shorter than {@link MIN_PASSWORD_CHARACTERS}. */
export function passwordTooShort(password: string): boolean {
  return characters(password) < MIN_PASSWORD_CHARACTERS;
}
