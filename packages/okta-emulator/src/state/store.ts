import type {
  AccessTokenRecord,
  ApiTokenRecord,
  AppRecord,
  AuthCodeRecord,
  AuthorizeTransaction,
  DeviceAuthRecord,
  GroupRecord,
  PushedRequest,
  RefreshTokenRecord,
  SessionRecord,
  UserRecord,
} from './model.js';
import { oktaId, randomToken } from './ids.js';
import { keepRecent } from './recent.js';

/** How long an expired device code or access token is kept, for Okta's "expired" answer (seconds). */
export const keptExpiredSeconds = 3600;
/** Okta's default `maxSessionIdleMinutes` (120) of the global session policy: an idle session is forgotten after it (seconds). */
export const sessionIdleSeconds = 7200;

/**
 * The most records of each kind an org keeps, so no long test run or hostile client grows the
 * emulator's memory without bound (docs/FIDELITY.md, "State bounds"). Users and groups past their
 * cap are refused (the Users and Groups APIs answer 400 `E0000001`, `createUser()` and `seedUsers()`
 * throw); for the rest, a record past the cap makes the org forget the oldest of its kind, as if it
 * had expired. Expired records go sooner ({@link Store.prune}). Mutable for the emulator's own
 * tests only.
 */
export const STORE_CAPS = {
  users: 200_000,
  groups: 10_000,
  accessTokens: 100_000,
  refreshTokens: 100_000,
  sessions: 100_000,
  codes: 10_000,
  devices: 10_000,
  transactions: 10_000,
  pushedRequests: 10_000,
};

/** The kinds of record the org forgets, oldest first, past their cap. */
type ForgottenKind = 'accessTokens' | 'refreshTokens' | 'sessions' | 'codes' | 'devices' | 'transactions' | 'pushedRequests';
type RecordOf<K extends ForgottenKind> = Store[K] extends Map<string, infer R> ? R : never;

/** Input for {@link Store.createUser}. */
export interface NewUser {
  login: string;
  password?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  email?: string | undefined;
  admin?: boolean | undefined;
  activate?: boolean | undefined;
}

/** All of one org's data. Everything is in memory and per emulator instance. */
export class Store {
  readonly users = new Map<string, UserRecord>();
  readonly groups = new Map<string, GroupRecord>();
  readonly apiTokens = new Map<string, ApiTokenRecord>();
  readonly apps = new Map<string, AppRecord>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly codes = new Map<string, AuthCodeRecord>();
  readonly devices = new Map<string, DeviceAuthRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly transactions = new Map<string, AuthorizeTransaction>();
  /** Pushed authorization requests (RFC 9126), by `request_uri`: used once, gone once expired. */
  readonly pushedRequests = new Map<string, PushedRequest>();
  /** Client-assertion `jti`s seen, per client, with the assertion's expiry (ms). */
  readonly assertionJtis = new Map<string, number>();
  /** DPoP proof `jti`s seen, with when they can be forgotten (ms). */
  readonly proofJtis = new Map<string, number>();
  #seeded = 0;
  #lastPrune = 0;
  #seq = 0;

  nextSeq(): number {
    return ++this.#seq;
  }

  constructor(now: number) {
    const everyone: GroupRecord = {
      id: oktaId('00g'),
      seq: 0,
      type: 'BUILT_IN',
      created: now,
      lastUpdated: now,
      profile: { name: 'Everyone', description: 'All users in your organization' },
      members: new Set(),
      lastMembershipUpdated: now,
    };
    this.groups.set(everyone.id, everyone);
  }

  /**
   * Forgets what can no longer change an answer, as a real server does (at most once a second,
   * so hot paths stay O(1)); the server calls it on every org request. Replay-cache entries go
   * when their time is up. Authorization codes and sign-in transactions go once expired (an
   * expired one gets the same answer as an unknown one); device codes and access tokens
   * {@link keptExpiredSeconds} later (until then they get Okta's "expired" answer); revoked
   * refresh tokens at once (the same `invalid_grant` as an unknown one; their family was revoked
   * with them); sessions once idle for {@link sessionIdleSeconds}. The records' times are on the
   * org's clock, which a test may move back: a record goes only once expired on real time too
   * (`realMs`), so moving the clock ahead and back again never loses a token that is valid again.
   */
  prune(nowMs: number, realMs = Date.now()): void {
    if (nowMs - this.#lastPrune < 1000 && nowMs >= this.#lastPrune) return;
    this.#lastPrune = nowMs;
    for (const [k, until] of this.assertionJtis) if (until < nowMs) this.assertionJtis.delete(k);
    for (const [k, until] of this.proofJtis) if (until < nowMs) this.proofJtis.delete(k);
    const now = Math.min(nowMs, realMs) / 1000;
    const late = now - keptExpiredSeconds;
    for (const [k, code] of this.codes) if (code.expiresAt <= now) this.codes.delete(k);
    for (const [k, txn] of this.transactions) if (txn.expiresAt <= now) this.transactions.delete(k);
    for (const [k, pushed] of this.pushedRequests) if (pushed.expiresAt <= now) this.pushedRequests.delete(k);
    for (const [k, device] of this.devices) if (device.expiresAt <= late) this.devices.delete(k);
    for (const [k, token] of this.accessTokens) if (token.expiresAt <= late) this.accessTokens.delete(k);
    for (const [k, token] of this.refreshTokens) if (token.revoked) this.refreshTokens.delete(k);
    for (const [k, session] of this.sessions) if (session.lastUsedMs / 1000 + sessionIdleSeconds <= now) this.sessions.delete(k);
  }

  /** Whether adding `count` more users or groups would pass their {@link STORE_CAPS} cap. */
  wouldOverflow(kind: 'users' | 'groups', count = 1): boolean {
    return this[kind].size + count > STORE_CAPS[kind];
  }

  /** Keeps `record` under `key` in `map`, forgetting the oldest record of its kind past its {@link STORE_CAPS} cap. */
  keep<K extends ForgottenKind>(kind: K, key: string, record: RecordOf<K>): RecordOf<K> {
    return keepRecent(this[kind] as Map<string, RecordOf<K>>, key, record, STORE_CAPS[kind]);
  }

  /** The groups a user is in: Everyone, then the groups that list the user, in creation order. */
  groupsOf(userId: string): GroupRecord[] {
    return [...this.groups.values()].filter((g) => g.type === 'BUILT_IN' || g.members.has(userId)).sort((a, b) => a.seq - b.seq);
  }

  findUserByLogin(login: string): UserRecord | undefined {
    const wanted = login.toLowerCase();
    for (const u of this.users.values()) if (u.profile.login.toLowerCase() === wanted) return u;
    return undefined;
  }

  /**
   * The user whose login is `login` up to case and diacritical marks, which Okta counts as the same login:
   * "If one of your users has a login of Isaac.Brock@example.com, there cannot be another user whose login
   * is isaac.brock@example.com, nor isáàc.bröck@example.com" (OAS `UserProfile.login`). For uniqueness
   * only: signing in and `GET /api/v1/users/{login}` compare up to case ({@link findUserByLogin}).
   */
  findLoginClash(login: string): UserRecord | undefined {
    const wanted = loginKey(login);
    for (const u of this.users.values()) if (loginKey(u.profile.login) === wanted) return u;
    return undefined;
  }

  /**
   * By id, by login (case-insensitive), or by the login's short name (the part before `@`, case-insensitive)
   * when exactly one user's login has it, as `GET /api/v1/users/{id}` does: "An ID, login, or login
   * shortname (as long as the shortname is unambiguous)" (OAS `getUser`, FIDELITY U13). `me` is never a
   * short name: it names the caller, whatever a login `me@…` (the routes resolve it).
   */
  findUser(idOrLogin: string): UserRecord | undefined {
    const found = this.users.get(idOrLogin) ?? this.findUserByLogin(idOrLogin);
    const wanted = idOrLogin.toLowerCase();
    if (found !== undefined || wanted === '' || wanted === 'me' || wanted.includes('@')) return found;
    const named = [...this.users.values()].filter((u) => u.profile.login.toLowerCase().split('@')[0] === wanted);
    return named.length === 1 ? named[0] : undefined;
  }

  createUser(input: NewUser, now: number): UserRecord {
    const [local = input.login] = input.login.split('@');
    const active = input.activate ?? true;
    const status = active ? (input.password === undefined ? 'PROVISIONED' : 'ACTIVE') : 'STAGED';
    const user: UserRecord = {
      id: oktaId('00u'),
      seq: this.nextSeq(),
      status,
      created: now,
      lastUpdated: now,
      activated: active ? now : null,
      statusChanged: active ? now : null,
      passwordChanged: input.password === undefined ? null : now,
      lastLogin: null,
      profile: {
        login: input.login,
        email: input.email ?? (input.login.includes('@') ? input.login : `${input.login}@example.com`),
        firstName: input.firstName ?? local,
        lastName: input.lastName ?? 'User',
      },
      password: input.password,
      admin: input.admin ?? false,
    };
    this.users.set(user.id, user);
    return user;
  }

  /** Seed `n` users `user0001@example.com`, … with password `Passw0rd!` (numbering continues across calls). */
  seedUsers(n: number, now: number): void {
    // One pass over the users, not one per seeded user (that made 100,000 users take minutes).
    const taken = new Set([...this.users.values()].map((u) => u.profile.login.toLowerCase()));
    for (let i = 0; i < n; i++) {
      this.#seeded++;
      const num = String(this.#seeded).padStart(4, '0');
      if (taken.has(`user${num}@example.com`)) continue;
      this.createUser(
        { login: `user${num}@example.com`, password: SEED_PASSWORD, firstName: 'User', lastName: num },
        now,
      );
    }
  }

  createApiToken(name: string, now: number, userId: string): ApiTokenRecord {
    const record: ApiTokenRecord = {
      id: oktaId('00T'),
      name,
      userId,
      token: `00${randomToken(30).slice(0, 40)}`,
      created: now,
      lastUsed: now,
      status: 'ACTIVE',
    };
    this.apiTokens.set(record.id, record);
    return record;
  }

  /** The user an API token acts as, the admin who created it: undefined once that user is deleted. */
  apiTokenOwner(token: ApiTokenRecord): UserRecord | undefined {
    return this.users.get(token.userId);
  }

  findApiToken(token: string): ApiTokenRecord | undefined {
    for (const t of this.apiTokens.values()) if (t.token === token) return t;
    return undefined;
  }
}

/**
 * The password of every seeded user (`seed: { users }`, `seedUsers(n)`).
 *
 * @example
 * ```ts
 * const org = await startEmulator({ seed: { users: 1 } });
 * // sign in on the page as user0001@example.com with SEED_PASSWORD
 * ```
 * @see https://developer.okta.com/docs/reference/api/users/
 */
export const SEED_PASSWORD = 'Passw0rd!';

/**
 * The combining diacritical marks (U+0300–U+036F and their supplement and extension blocks) a decomposed
 * login drops: the accents of `isáàc.bröck`. Not every combining mark (`\p{M}`): the vowel signs of
 * Devanagari and other scripts are marks too, and कि and का are two syllables, not one with an accent.
 */
const DIACRITICAL_MARKS: readonly (readonly [number, number])[] = [
  [0x300, 0x36f],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x20d0, 0x20ff],
  [0xfe20, 0xfe2f],
];

function isDiacriticalMark(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return DIACRITICAL_MARKS.some(([first, last]) => code >= first && code <= last);
}

/** One character without case: its upper case (one character only: `ß` stays, not `SS`) in lower case, `ς` and `σ` alike. */
function caseless(char: string): string {
  const upper = char.toUpperCase();
  return (Array.from(upper).length === 1 ? upper : char).toLowerCase();
}

/**
 * A login without case and diacritical marks, as Okta compares logins for uniqueness: decomposed, each
 * character without case on its own (a whole-string `toLowerCase` makes a word-final `Σ` a `ς`, so
 * `ΟΔΟΣ` and `οδοσ`, one login up to case, differed), decomposed again, diacritical marks dropped.
 */
function loginKey(login: string): string {
  let key = '';
  for (const char of login.normalize('NFD')) for (const part of caseless(char).normalize('NFD')) if (!isDiacriticalMark(part)) key += part;
  return key;
}
