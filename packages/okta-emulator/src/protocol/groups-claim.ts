import type { OrgContext } from '../state/context.js';
import { OAuthFailure } from '../http/errors.js';
import type { AppRecord, GroupsClaim, UserRecord } from '../state/model.js';

/** Okta refuses to mint a groups claim that matches more than 100 groups. */
export const MAX_GROUPS_IN_CLAIM = 100;

function matches(claim: GroupsClaim, name: string): boolean {
  switch (claim.filter) {
    case 'EQUALS':
      return name === claim.value;
    case 'STARTS_WITH':
      return name.startsWith(claim.value);
    case 'CONTAINS':
      return name.includes(claim.value);
    case 'REGEX':
      return new RegExp(`^(?:${claim.value})$`).test(name);
  }
}

/**
 * The groups claim for an ID token: present only when the app configures one and the `groups`
 * scope was granted; the names of the user's groups (Everyone included) that pass the filter.
 * More than {@link MAX_GROUPS_IN_CLAIM} is Okta's `too_many_groups_in_groups_claim` error.
 *
 * @see https://developer.okta.com/docs/guides/customize-tokens-groups-claim/main/
 */
export function groupsClaim(ctx: OrgContext, app: AppRecord, user: UserRecord, scopes: string[]): Record<string, string[]> {
  if (app.kind !== 'spa' && app.kind !== 'web' && app.kind !== 'native') return {};
  const claim = app.groupsClaim;
  if (claim === undefined || !scopes.includes('groups')) return {};
  const names = ctx.store.groupsOf(user.id).map((g) => g.profile.name).filter((n) => matches(claim, n));
  if (names.length > MAX_GROUPS_IN_CLAIM) {
    throw new OAuthFailure(400, 'server_error', 'The groups claim matched too many groups and must be configured to match fewer groups.');
  }
  return { [claim.name ?? 'groups']: names };
}
