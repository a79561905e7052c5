import { createPrivateKey, createPublicKey, generateKeyPair, generateKeyPairSync, type KeyObject } from 'node:crypto';

const pkcs8 = { format: 'pem', type: 'pkcs8' } as const;
const spki = { format: 'pem', type: 'spki' } as const;

export type KeyType = 'RSA' | 'EC';

/** A key pair as PEM text, encoded inside the job that generated it. */
export interface PemPair {
  privateKey: string;
  publicKey: string;
}

/**
 * Makes one pair off the event loop and calls `done` once: Node.js's asynchronous `generateKeyPair`
 * (the libuv thread pool) by default; a test gives its own.
 */
export type PemGenerator = (type: KeyType, done: (error: Error | null, pair?: PemPair) => void) => void;

/** RSA 2048 or EC P-256, made on the thread pool, PEM-encoded inside the job. */
export const generatePemPair: PemGenerator = (type, done) => {
  const callback = (error: Error | null, publicKey: string, privateKey: string): void => {
    done(error, error === null ? { privateKey, publicKey } : undefined);
  };
  if (type === 'EC') generateKeyPair('ec', { namedCurve: 'P-256', privateKeyEncoding: pkcs8, publicKeyEncoding: spki }, callback);
  else generateKeyPair('rsa', { modulusLength: 2048, privateKeyEncoding: pkcs8, publicKeyEncoding: spki }, callback);
};

/** The same pair made on this thread, blocking it (an RSA pair: 0.1 to 3 s, by the machine's load). */
function generatePemPairSync(type: KeyType): PemPair {
  return type === 'EC'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: pkcs8, publicKeyEncoding: spki })
    : generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: pkcs8, publicKeyEncoding: spki });
}

/** At most this many ready pairs per type: one per open emulator, up to it. */
export const KEY_POOL_SIZE = 4;

/**
 * Pairs made before they are needed, off the event loop. While emulators are open, the pool keeps one
 * ready pair per open emulator, at most `size`, of each type the process has taken a pair of before
 * (the first pair of a type is made synchronously: a process that never signs a token or makes an
 * app key spends nothing on RSA), made one at a time per type by `generate`; a pair taken is replaced.
 * With no emulator open nothing is made, so a process ends as soon as its last emulator closes and
 * the one job of each type then in flight (if any) finishes; nothing else is kept waiting. Every pair is taken once (an org's signing key, an app's key, a
 * rotation's key are never another's); when none is ready, `take` makes one synchronously. A job that
 * fails is dropped: `take` falls back to the synchronous path, and the next `open` or `take` tries again.
 */
export class KeyPairPool {
  readonly #generate: PemGenerator;
  readonly #size: number;
  readonly #ready: Record<KeyType, PemPair[]> = { RSA: [], EC: [] };
  readonly #making: Record<KeyType, boolean> = { RSA: false, EC: false };
  /** Types this process has taken a pair of: only those are made ahead (a process that never signs a token makes no RSA pair). */
  readonly #wanted: Record<KeyType, boolean> = { RSA: false, EC: false };
  #open = 0;
  /** Pairs taken ready, made synchronously for lack of one, and awaited from a job of their own, per type; pool jobs started and failed. */
  readonly counts = { pooled: { RSA: 0, EC: 0 }, made: { RSA: 0, EC: 0 }, awaited: { RSA: 0, EC: 0 }, jobs: 0, failed: 0 };

  constructor(options: { generate?: PemGenerator; size?: number } = {}) {
    this.#generate = options.generate ?? generatePemPair;
    this.#size = options.size ?? KEY_POOL_SIZE;
  }

  /** An emulator starts: the pool fills toward one more pair of each type taken before. Call the returned function once it closes. */
  open(): () => void {
    this.#open += 1;
    let closed = false;
    this.#fill('RSA');
    this.#fill('EC');
    return () => {
      if (closed) return;
      closed = true;
      this.#open -= 1;
    };
  }

  /** Ready pairs of a type (for tests). */
  ready(type: KeyType): number {
    return this.#ready[type].length;
  }

  /** Whether a job of this type is in flight (for tests). */
  making(type: KeyType): boolean {
    return this.#making[type];
  }

  /** A pair of its own: a ready one if any (and its replacement started), else one made now. */
  take(type: KeyType): { privateKey: KeyObject; publicKey: KeyObject } {
    this.#wanted[type] = true;
    const ready = this.#ready[type].shift();
    this.#fill(type);
    if (ready !== undefined) this.counts.pooled[type] += 1;
    else this.counts.made[type] += 1;
    return parsed(ready ?? generatePemPairSync(type));
  }

  /**
   * A pair of its own without blocking the event loop, for code that can wait (a request): a ready
   * one, else one made by `generate` (counted in `counts.awaited`), else, if that job fails, one made now
   * (`counts.made`).
   */
  async takeAsync(type: KeyType): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
    if (this.#ready[type].length > 0) return this.take(type);
    this.#wanted[type] = true;
    this.#fill(type);
    this.counts.awaited[type] += 1;
    const pem = await new Promise<PemPair | undefined>((resolve) => {
      try {
        this.#generate(type, (error, pair) => {
          resolve(error === null ? pair : undefined);
        });
      } catch {
        resolve(undefined);
      }
    });
    if (pem !== undefined) return parsed(pem);
    this.counts.made[type] += 1;
    return parsed(generatePemPairSync(type));
  }

  #fill(type: KeyType): void {
    if (!this.#wanted[type] || this.#making[type] || this.#ready[type].length >= Math.min(this.#size, this.#open)) return;
    this.#making[type] = true;
    this.counts.jobs += 1;
    let called = false;
    const done = (error: Error | null, pair?: PemPair): void => {
      if (called) return;
      called = true;
      this.#making[type] = false;
      if (error !== null || pair === undefined) {
        this.counts.failed += 1;
        return;
      }
      if (this.#ready[type].length < this.#size) this.#ready[type].push(pair);
      this.#fill(type);
    };
    try {
      this.#generate(type, done);
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

/** Pairs as `KeyObject`s of their own, parsed from the PEM a job made (see {@link newKeyPair}). */
function parsed(pem: PemPair): { privateKey: KeyObject; publicKey: KeyObject } {
  return { privateKey: createPrivateKey(pem.privateKey), publicKey: createPublicKey(pem.publicKey) };
}

/** The process's pool: `startEmulator` opens it, `newKeyPair` takes from it. */
export const keyPairPool = new KeyPairPool();

/**
 * A new key pair (RSA 2048 or EC P-256) as `KeyObject`s that are safe to export, each pair used once.
 * A ready one from `keyPairPool` when there is one (made on the thread pool while an emulator is
 * open), else made now, synchronously.
 *
 * A `KeyObject` that `generateKeyPairSync` returns shares a lock with the key-generation job that
 * made it. On Node.js 20.20, exporting such a key (`export({ format: 'jwk' })` allocates while
 * holding the lock) can start a garbage collection that destroys the job, whose destructor takes
 * the same lock: the thread waits on itself forever (seen as a hung test worker; reproduced in
 * `key-pair.test.ts`). The keys are therefore generated as PEM, inside the job (the synchronous and
 * the asynchronous one alike), and parsed again into `KeyObject`s of their own. The lint rule
 * `no-restricted-syntax` (eslint.config.js) refuses any other use of `generateKeyPairSync` or of
 * Node.js's `generateKeyPair`.
 */
export function newKeyPair(type: KeyType): { privateKey: KeyObject; publicKey: KeyObject } {
  return keyPairPool.take(type);
}
