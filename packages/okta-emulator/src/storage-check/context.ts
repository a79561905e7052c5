/**
 * What each rule of {@link checkOktaStorage} works with: the storage's handles, its own keys and
 * values, and `call`, the one bounded call into the storage (a call that throws or never settles
 * fails the rule, named by what was called, never quoting a value or an error's message).
 */
import type { StorageUnderCheck } from './types.js';

/** A rule broken: its message says what the storage did and what to do instead. */
export class Broken extends Error {}

/** A rule not checked: the storage lacks what it needs. */
export class Skipped extends Error {}

/** Fails the rule with `message` unless `kept`. */
export function expectKept(kept: boolean, message: string): void {
  if (!kept) throw new Broken(message);
}

/** A name an error class has (`TypeError`, `AbortError`, `ReplyError`): letters only, ending in `Error` or `Exception`. */
const errorClassName = /^(?:[A-Z][A-Za-z]{0,50})?(?:Error|Exception)$/;
/** A code an error carries (`ECONNRESET`, `ERR_STREAM_PREMATURE_CLOSE`, `FLEET_WAIT_EXCEEDED`): capitals in words joined by `_`, no digit. */
const errorCode = /^[A-Z]{2,30}(?:_[A-Z]{1,30}){0,5}$/;

/**
 * What a storage's error was, without its message (it may quote a value): its name and `code`, each
 * quoted only when it reads as an error's (a store may put anything there: a word of a token, a key
 * id, matched any word before), else left out.
 */
export function errorName(error: unknown): string {
  if (!(error instanceof Object)) return `a thrown ${typeof error}`;
  const { name, code } = error as { name?: unknown; code?: unknown };
  const named = typeof name === 'string' && errorClassName.test(name) ? name : 'an error';
  return typeof code === 'string' && code.length <= 60 && errorCode.test(code) ? `${named} (code ${code})` : named;
}

/** How an answer of `get` reads in a message: its kind and length, never its text. */
export function answerShown(answer: unknown): string {
  if (answer === null || answer === undefined) return 'nothing';
  return typeof answer === 'string' ? `a text of ${answer.length} characters` : `a ${typeof answer}, not a string`;
}

/** Characters a stored value (JSON text, its tokens' claims) may hold: ASCII, JSON's escapes, Latin, CJK, an astral pair. */
const valueUnits = ['{\\"a\\":\\"b\\"}', ' +/=_-.~', '\\"\\\\', 'é', 'ü', '日本', '😀', '<>&\''];

/** A key a check may quote: at most 80 characters. */
export const keyShown = (key: string): string => JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}… (${key.length} characters)` : key);

/** A short pause: a lower bound for a concurrent call to reach the store, never a wait for an outcome. */
export const pause = (ms = 50): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How a bounded call ended: its value, its error (thrown or rejected), or a timeout. */
export type Settled<T> = { kind: 'fulfilled'; value: Awaited<T> } | { kind: 'rejected'; error: unknown } | { kind: 'timeout' };

/**
 * The one bounded call of the check: how `run` ended within `stepMs`, `run` added to `running` until it settles
 * (it runs on after a timeout). The context's {@link CheckContext.settle}, and `create`/`secondHandle` before a rule has one.
 */
export async function settleStep<T>(stepMs: number, run: () => T | Promise<T>, running?: Set<Promise<unknown>>): Promise<Settled<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<{ kind: 'timeout' }>((resolve) => {
    timer = setTimeout(() => { resolve({ kind: 'timeout' }); }, stepMs);
  });
  const done = (async () => {
    try {
      return { kind: 'fulfilled' as const, value: await run() };
    } catch (error) {
      return { kind: 'rejected' as const, error };
    }
  })();
  running?.add(done);
  void done.then(() => running?.delete(done));
  try {
    return await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class CheckContext<S extends StorageUnderCheck> {
  readonly #keys = new Set<string>();
  /** Every call into the storage not yet settled, including those {@link settle} gave up on after `stepMs` (they run on). */
  readonly #running = new Set<Promise<unknown>>();
  #count = 0;

  constructor(
    readonly first: S,
    readonly second: S,
    readonly twoHandles: boolean,
    readonly run: string,
    readonly stepMs: number,
    readonly valueChars: number,
    readonly writeUnreadable: ((key: string) => unknown) | undefined,
  ) {}

  /** A key of this run (letters, digits and `-` only: the rules about other characters are `key-characters`'). */
  key(tag: string): string {
    return this.own(`okta-storage-check-${this.run}-${tag}`);
  }

  /** Records `key` for the removal at the end of the check. */
  own(key: string): string {
    this.#keys.add(key);
    return key;
  }

  get keys(): readonly string[] {
    return [...this.#keys];
  }

  /** A value of `chars` UTF-16 units, unique to this run and call, with every kind of character a stored value holds. */
  value(chars = 200): string {
    const head = `{"check":"${this.run}-${(this.#count += 1)}","pad":"`;
    let text = head;
    for (let i = 0; text.length < chars - 2; i += 1) {
      const unit = valueUnits[i % valueUnits.length] ?? 'x';
      text += text.length + unit.length <= chars - 2 ? unit : 'x';
    }
    return `${text}"}`.slice(0, Math.max(chars, head.length + 2));
  }

  /**
   * Calls the storage, bounded by `stepMs`: answers what it answered; throws {@link Broken} naming
   * `what` when it throws, rejects or never settles.
   */
  async call<T>(what: string, run: () => T | Promise<T>): Promise<Awaited<T>> {
    const outcome = await this.settle(run);
    if (outcome.kind === 'timeout') throw new Broken(`${what} did not settle within ${this.stepMs} ms: every call must end (bound your store's own calls).`);
    if (outcome.kind === 'rejected') throw new Broken(`${what} threw ${errorName(outcome.error)}.`);
    return outcome.value;
  }

  /** How `run` ended within `stepMs`: its value, its error, or a timeout ({@link settleStep}, the call kept in the running set). */
  settle<T>(run: () => T | Promise<T>): Promise<Settled<T>> {
    return settleStep(this.stepMs, run, this.#running);
  }

  /**
   * Waits, bounded by one `stepMs`, for the calls still running (a flight whose waiter ignored its
   * signal, given up on after `stepMs`, writes once it ends): the removal at the end of a rule comes
   * after their writes, so no key of the check is left behind (one written an hour ahead stayed).
   */
  async finished(): Promise<void> {
    if (this.#running.size > 0) await this.settle(() => Promise.all(this.#running));
  }

  /** `get` of `key` on `handle`, bounded. */
  get(key: string, handle: StorageUnderCheck = this.first): Promise<string | null | undefined> {
    return this.call(`get(${keyShown(key)})`, () => handle.get(key));
  }

  /** `set` of `key` on `handle`, bounded. */
  async set(key: string, value: string, options?: { readonly expiresAt?: number | undefined }, handle: StorageUnderCheck = this.first): Promise<void> {
    await this.call(`set(${keyShown(key)})`, () => (options === undefined ? handle.set(key, value) : handle.set(key, value, options)));
  }

  /** Fails unless `get` of `key` answers `wanted` (`undefined`: nothing), saying `when`. */
  async expectRead(key: string, wanted: string | undefined, when: string, handle: StorageUnderCheck = this.first): Promise<void> {
    const answer = await this.get(key, handle);
    const read = answer === null ? undefined : answer;
    if (read === wanted) return;
    const expected = wanted === undefined ? 'nothing' : `the text last stored (${wanted.length} characters)`;
    const got = typeof read === 'string' && read.length === wanted?.length ? 'another text of the same length' : answerShown(read);
    throw new Broken(`${when}, get(${keyShown(key)}) answered ${got}, not ${expected}.`);
  }
}
