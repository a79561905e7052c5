import { paginatePages, type PageFetcher } from '@org/okta-auth-core';
import type { Column } from '../ui/table.js';
import { plural } from '../ui/ui.js';

/** The fields of an Okta user the demo shows. */
export interface OktaUser {
  readonly id: string;
  readonly status: string;
  readonly lastLogin?: string | null;
  readonly profile: { readonly login: string; readonly firstName?: string | null; readonly lastName?: string | null; readonly email?: string | null };
}

/** Lists every user, page by page (following `Link: rel="next"`), reporting progress. */
export async function listAllUsers(
  okta: PageFetcher,
  pageSize: number,
  progress: (detail: string) => void,
  maxPages?: number,
): Promise<{ users: OktaUser[]; pages: number }> {
  const users: OktaUser[] = [];
  let pages = 0;
  for await (const page of paginatePages<OktaUser>(okta, `/api/v1/users?limit=${String(pageSize)}`, { maxPages })) {
    pages++;
    users.push(...page.items);
    progress(`${plural(users.length, 'user')}, ${plural(pages, 'page')}`);
  }
  return { users, pages };
}

export const userColumns: readonly Column<OktaUser>[] = [
  { heading: 'Login', cell: (u) => u.profile.login, max: 32 },
  { heading: 'Name', cell: (u) => [u.profile.firstName, u.profile.lastName].filter((s) => typeof s === 'string' && s !== '').join(' '), max: 24 },
  { heading: 'Status', cell: (u) => u.status },
  { heading: 'Id', cell: (u) => u.id },
];
