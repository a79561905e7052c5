import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registerAdminRoutes } from '../controls/admin-routes.js';
import { FAULT_FIELDS } from '../controls/faults.js';
import type { OktaEmulator } from '../emulator-api.js';
import type { EmuRequest, Handler } from '../http/http-types.js';
import type { Router } from '../http/router.js';
import { API_TOKEN_FIELDS, APP_KEY_FIELDS, LOG_EVENT_FIELDS, OIN_APP_FIELDS, REQUESTS_FIELDS, SERVICE_APP_FIELDS, SIGN_IN_APP_FIELDS, SIGN_IN_FIELDS, START_FIELDS, USER_FIELDS } from '../options.js';
import type { OrgContext } from '../state/context.js';
import { registerOrgRoutes } from './index.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README from `heading` to the next heading of its level or above (`## ` stops a `### ` section too). */
function section(heading: string): string {
  const start = readme.indexOf(heading);
  expect(start).toBeGreaterThan(-1);
  const end = readme.slice(start + heading.length).search(heading.startsWith('### ') ? /\n##?#? / : /\n## /);
  return end === -1 ? readme.slice(start) : readme.slice(start, start + heading.length + end);
}

/** The README's "What it serves" table, as a reader sees it. */
function servedTable(): string {
  return section('## What it serves');
}

/** A table's rows, as their cells (the header and its `---` row left out). */
function rows(text: string): string[][] {
  return text.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('|---')).slice(1).map((line) => line.slice(2, -2).split(' | '));
}

/** `{ a, b? }` or `{a, b?}` as the names it lists. */
const names = (list: string): string[] => list.split(',').map((name) => name.trim().replace(/\?$/, '')).filter((name) => name !== '').sort();

/** Every Okta route the org registers, as `METHOD /path/:param`. */
function registered(): { method: string; template: string }[] {
  const routes: { method: string; template: string }[] = [];
  const router = { add: (method: string, template: string) => (routes.push({ method, template }), router) };
  // Registering reads nothing of the org: its handlers do, when called.
  registerOrgRoutes(router as unknown as Router, null as unknown as OrgContext);
  return routes;
}

describe("the README's table of what the emulator serves", () => {
  it('names the path of every Okta route the org registers (each static part between its parameters)', () => {
    const table = servedTable();
    const routes = registered();
    expect(routes.length).toBeGreaterThan(20);
    // `/api/v1/apps/:id/credentials/jwks` needs `/api/v1/apps` and `/credentials/jwks` in the table, not the first alone.
    const parts = (template: string) => template.split(/\/:[^/]+/).filter((part) => part !== '');
    // The table lists sibling operations as `/lifecycle/{activate,deactivate}`: a part's last segment may be one of those.
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const listed = (part: string) => {
      const at = part.lastIndexOf('/');
      return new RegExp(`${escape(part.slice(0, at))}/\\{([^}]*,)?${escape(part.slice(at + 1))}[,}]`).test(table);
    };
    const missing = routes.filter(({ template }) => !parts(template).every((part) => table.includes(part) || listed(part))).map(({ method, template }) => `${method} ${template}`);
    expect(missing).toEqual([]);
  });
});

describe("the README's option lists (a field a method or route does not take is refused: the README must list each it takes)", () => {
  const fields = (known: Readonly<Record<string, true>>) => Object.keys(known).sort();

  it("startEmulator's options table lists every option it takes, and no other", () => {
    const listed = rows(section('### `startEmulator(options?)`')).map(([cell]) => /^`(\w+)/.exec(cell ?? '')?.[1]);
    expect([...new Set(listed)].sort()).toEqual(fields(START_FIELDS));
  });

  it("each method's options in the methods table are the fields it takes", () => {
    const taken: Record<string, Readonly<Record<string, true>>> = {
      createApiToken: API_TOKEN_FIELDS, createServiceApp: SERVICE_APP_FIELDS, createOinApp: OIN_APP_FIELDS, createSignInApp: SIGN_IN_APP_FIELDS,
      createUser: USER_FIELDS, injectFault: FAULT_FIELDS, recordLogEvent: LOG_EVENT_FIELDS, addAppKey: APP_KEY_FIELDS, signIn: SIGN_IN_FIELDS, requests: REQUESTS_FIELDS,
    };
    const listed: Record<string, string[]> = {};
    for (const [cell] of rows(section('### Methods of `OktaEmulator`'))) {
      const match = /^`(\w+)\((?:\w+, )?\{([^}]*)\}\)/.exec(cell ?? '');
      if (match?.[1] !== undefined && match[2] !== undefined) listed[match[1]] = names(match[2]);
    }
    expect(listed).toEqual(Object.fromEntries(Object.entries(taken).map(([method, known]) => [method, fields(known)])));
  });

  it("each admin route's body in the Admin API table is the fields the route takes, or the method it hands the body to", () => {
    // What each route does with a field it does not take: refuses it listing those it takes, or hands the body to the method.
    const handlers: { method: string; template: string; handler: Handler }[] = [];
    const router = { add: (method: string, template: string, handler: Handler) => (handlers.push({ method, template, handler }), router) };
    const org = new Proxy({}, { get: (_, name) => () => { throw new Error(`handed to ${String(name)}`); } });
    registerAdminRoutes(router as unknown as Router, org as OktaEmulator);
    const actual: Record<string, string> = {};
    for (const { method, template, handler } of handlers) {
      const params = { id: 'x', clientId: 'x', keyId: 'x', secretId: 'x' };
      const request = { method, rawPath: template, url: new URL(`http://127.0.0.1${template}`), headers: {}, body: Buffer.from('{"zzUnknown":1}'), requestId: 'r', params } as unknown as EmuRequest;
      const { error } = JSON.parse((handler(request) as { body: string }).body) as { error: string };
      const use = / is not an option of .*?: (?:use (.*)|it takes no options)\.$/.exec(error);
      actual[`${method} ${template.replace(/:(\w+)/g, '{$1}')}`] = use === null ? error.replace('handed to ', 'to ') : `{${names(use[1] ?? '').join(', ')}}`;
    }
    const documented: Record<string, string> = {};
    for (const [routeCell, bodyCell] of rows(section('### Admin API'))) {
      const asked = (bodyCell ?? '').split('→')[0]?.trim() ?? '';
      const list = /^`\{([^}]*)\}`/.exec(asked);
      const method = /^`(\w+)` (?:options|fields)/.exec(asked);
      const body = asked === '' ? '{}' : list?.[1] !== undefined ? `{${names(list[1]).join(', ')}}` : method?.[1] !== undefined ? `to ${method[1]}` : `unread: ${asked}`;
      let previous = '';
      for (const [, route] of (routeCell ?? '').matchAll(/`([^`]+)`/g)) {
        // `…/expire` after `POST /__emulator/api-tokens/{id}/revoke`: the same method, the last segment replaced.
        previous = route?.startsWith('…/') === true ? previous.replace(/\/[^/]+$/, route.slice(1)) : (route ?? '');
        documented[previous] = body;
      }
    }
    expect(documented).toEqual(actual);
  });
});
