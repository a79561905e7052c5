import type { OrgContext } from './context.js';
import { header, type EmuRequest } from '../http/http-types.js';
import { randomToken } from './ids.js';
import type { SessionRecord, UserRecord } from './model.js';

export function cookieName(ctx: OrgContext): string {
  return `okta-emulator-sid-${ctx.tag}`;
}

export function readSession(ctx: OrgContext, req: EmuRequest): SessionRecord | undefined {
  const cookies = header(req, 'cookie') ?? '';
  const name = cookieName(ctx);
  for (const part of cookies.split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === name && v !== undefined) {
      const s = ctx.store.sessions.get(v);
      const user = s === undefined ? undefined : ctx.store.users.get(s.userId);
      if (s !== undefined && user?.status === 'ACTIVE') {
        s.lastUsedMs = ctx.clock.nowMs();
        return s;
      }
    }
  }
  return undefined;
}

/** Create a session for `user`; returns the `Set-Cookie` value. */
export function startSession(ctx: OrgContext, user: UserRecord): { session: SessionRecord; cookie: string } {
  const session: SessionRecord = { id: randomToken(24), userId: user.id, authTime: ctx.clock.nowSeconds(), lastUsedMs: ctx.clock.nowMs() };
  ctx.store.keep('sessions', session.id, session);
  user.lastLogin = ctx.clock.nowMs();
  return { session, cookie: `${cookieName(ctx)}=${session.id}; Path=/; HttpOnly; SameSite=Lax` };
}

export function endSessionCookie(ctx: OrgContext): string {
  return `${cookieName(ctx)}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}

/** Check a username and password; the user must be ACTIVE. */
export function checkPassword(ctx: OrgContext, username: string, password: string): UserRecord | undefined {
  const user = ctx.store.findUserByLogin(username.trim());
  if (user?.status !== 'ACTIVE' || user.password === undefined || user.password !== password) return undefined;
  return user;
}
