import { nextLink, paginatePages, type OktaFetch } from '@org/okta-auth-core';
import { h, table } from './dom.js';

export interface OktaUser {
  readonly id: string;
  readonly status: string;
  readonly created?: string;
  readonly lastLogin?: string | null;
  readonly profile: Readonly<Record<string, string | null | undefined>> & { readonly login: string };
}

/** Users per page: a page fits on a screen. */
export const PAGE_SIZE = 25;
const FIRST_PAGE = `/api/v1/users?limit=${String(PAGE_SIZE)}`;

interface Loaded {
  readonly users: readonly OktaUser[];
  /** The `rel="next"` link (Okta's cursor), absent on the last page. */
  readonly next: URL | undefined;
}

async function loadPage(okta: OktaFetch, start: string): Promise<Loaded> {
  for await (const page of paginatePages<OktaUser>(okta, start, { maxPages: 1 })) {
    return { users: page.items, next: nextLink(page.response.headers.get('link'), page.response.url) };
  }
  return { users: [], next: undefined };
}

/**
 * The users section: one page of `GET /api/v1/users` at a time, with Previous / Next buttons that
 * follow Okta's `Link: rel="next"` cursor (Okta has no "previous" link: the pager remembers where
 * each page it showed started). Throws the first page's error, for the caller to show.
 */
export async function usersPager(okta: OktaFetch, onError: (error: unknown) => void): Promise<HTMLElement> {
  const starts: string[] = [FIRST_PAGE];
  let index = 0;
  let loaded = await loadPage(okta, FIRST_PAGE);
  const section = h('section', { 'aria-labelledby': 'users-heading' });
  const render = (): void => {
    const previous = h('button', { type: 'button', id: 'previous-page' }, '← Previous page');
    const next = h('button', { type: 'button', id: 'next-page' }, 'Next page →');
    previous.disabled = index === 0;
    next.disabled = loaded.next === undefined;
    const go = async (to: number): Promise<void> => {
      previous.disabled = true;
      next.disabled = true;
      if (to === starts.length && loaded.next !== undefined) starts.push(loaded.next.href);
      const start = starts[to];
      if (start === undefined) return;
      try {
        loaded = await loadPage(okta, start);
        index = to;
      } catch (error) {
        onError(error);
      }
      render();
    };
    previous.addEventListener('click', () => void go(index - 1));
    next.addEventListener('click', () => void go(index + 1));
    const more = loaded.next === undefined ? 'the last page' : 'more pages follow: “Next page” shows them';
    section.replaceChildren(
      h('h2', { id: 'users-heading' }, 'Users'),
      h('p', { class: 'note' }, `GET /api/v1/users, ${String(PAGE_SIZE)} a page, fetched from this page with your token; pages follow Okta’s Link: rel="next" cursor.`),
      h('p', { class: 'pager', id: 'page-status', 'aria-live': 'polite' }, `Page ${String(index + 1)}: ${more}.`),
      h('div', { class: 'pager' }, previous, next),
      table(
        ['Login', 'Name', 'Status'],
        loaded.users.map((u) => [u.profile.login, [u.profile.firstName, u.profile.lastName].filter(Boolean).join(' '), u.status]),
        'Users',
      ),
    );
  };
  render();
  return section;
}
