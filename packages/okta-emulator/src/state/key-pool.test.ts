/**
 * `KeyPairPool`, the pairs made off the event loop before they are needed (`key-pair.ts`), with a
 * generator each test controls: every pair is handed out once, the synchronous path when none is
 * ready, its bound, one job at a time per type, nothing made with no emulator open or of a type never
 * taken (a process that signs no token makes no RSA pair ahead), and a failing
 * job that neither escapes (no unhandled rejection, no uncaught exception) nor stops `take`.
 */
import { generateKeyPairSync } from 'node:crypto';
import { useUnhandledRejections } from '@org/okta-test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePemPair, KeyPairPool, type KeyType, type PemGenerator, type PemPair } from './key-pair.js';

const pkcs8 = { format: 'pem', type: 'pkcs8' } as const;
const spki = { format: 'pem', type: 'spki' } as const;

/** Real PEM pairs made once for the file (EC: fast), handed out by the scripted generators below. */
let pems: PemPair[] = [];
beforeAll(() => {
  pems = Array.from({ length: 12 }, () => generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: pkcs8, publicKeyEncoding: spki }));
});

/** A generator whose jobs wait until the test finishes them, in order; each gets the next of `pems`. */
function manualGenerator(): { generate: PemGenerator; pending: { type: KeyType; finish: (error?: Error) => void }[]; calls: number } {
  const state = { calls: 0, pending: [] as { type: KeyType; finish: (error?: Error) => void }[], generate: undefined as unknown as PemGenerator };
  let next = 0;
  state.generate = (type, done) => {
    state.calls += 1;
    const pair = pems[next++ % pems.length];
    state.pending.push({ type, finish: (error) => (error === undefined ? done(null, pair) : done(error)) });
  };
  return state;
}

/** Finishes every pending job (and those they start) until none is left. */
function finishAll(gen: ReturnType<typeof manualGenerator>): void {
  for (let job = gen.pending.shift(); job !== undefined; job = gen.pending.shift()) job.finish();
}

/** A first pair of each type, made synchronously: from then on the pool makes those types ahead. */
function takeEach(pool: KeyPairPool): void {
  pool.take('RSA');
  pool.take('EC');
}

const publicPem = (pair: { publicKey: { export: (o: typeof spki) => string | Buffer } }): string => pair.publicKey.export(spki).toString();

describe('KeyPairPool', () => {
  it('makes a pair synchronously when none is ready, and makes nothing in the background with no emulator open', () => {
    const gen = manualGenerator();
    const pool = new KeyPairPool({ generate: gen.generate });
    const a = pool.take('RSA');
    const b = pool.take('EC');
    expect(a.privateKey.asymmetricKeyType).toBe('rsa');
    expect(a.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(b.privateKey.asymmetricKeyType).toBe('ec');
    expect(b.privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(pool.counts).toMatchObject({ pooled: { RSA: 0, EC: 0 }, made: { RSA: 1, EC: 1 }, jobs: 0 });
    expect(gen.calls).toBe(0);
  });

  it('takeAsync makes no pair synchronously: a ready one, else a job of its own, else (that job failed) one made now', async () => {
    const gen = manualGenerator();
    const pool = new KeyPairPool({ generate: gen.generate });
    const close = pool.open();
    const first = pool.takeAsync('RSA');
    // Its own job and the pool's refill, none made on this thread.
    expect([gen.calls, pool.counts.made.RSA, pool.counts.awaited.RSA]).toEqual([2, 0, 1]);
    finishAll(gen);
    const [own, pooled] = [publicPem(await first), publicPem(await pool.takeAsync('RSA'))];
    expect(own).not.toBe(pooled);
    expect(pool.counts.pooled.RSA).toBe(1);
    const failed = pool.takeAsync('EC');
    gen.pending.filter((job) => job.type === 'EC').at(-1)?.finish(new Error('no key'));
    expect((await failed).publicKey.asymmetricKeyType).toBe('ec');
    close();
    finishAll(gen);
    expect(pool.counts).toMatchObject({ made: { RSA: 0, EC: 1 }, awaited: { RSA: 1, EC: 1 } });
  });

  it('keeps one ready pair of each type per open emulator, at most its size, made one at a time per type', () => {
    const gen = manualGenerator();
    const pool = new KeyPairPool({ generate: gen.generate, size: 3 });
    const closes = Array.from({ length: 5 }, () => pool.open());
    // Nothing made ahead of a type the process never took.
    expect(gen.calls).toBe(0);
    takeEach(pool);
    // One job per type in flight, however many emulators opened.
    expect(gen.pending.map((j) => j.type).sort()).toEqual(['EC', 'RSA']);
    finishAll(gen);
    expect([pool.ready('RSA'), pool.ready('EC')]).toEqual([3, 3]);
    expect(gen.calls).toBe(6);
    for (const close of closes) close();
    // A pair taken with no emulator open is not replaced.
    pool.take('RSA');
    expect(pool.making('RSA')).toBe(false);
    expect(pool.ready('RSA')).toBe(2);
    expect(gen.calls).toBe(6);
  });

  it('hands every pair out once, then makes the rest synchronously while the replacement is made', () => {
    const gen = manualGenerator();
    const pool = new KeyPairPool({ generate: gen.generate });
    const close = pool.open();
    takeEach(pool);
    finishAll(gen);
    expect(pool.ready('EC')).toBe(1);
    const first = pool.take('EC');
    // Its replacement is under way, not ready: the next take makes its own pair.
    expect(pool.making('EC')).toBe(true);
    const second = pool.take('EC');
    finishAll(gen);
    const third = pool.take('EC');
    close();
    const taken = [first, second, third].map(publicPem);
    expect(new Set(taken).size).toBe(3);
    // The pooled ones are the generator's pairs, in its order, each once (pems[0] went to the RSA job).
    expect([taken[0], taken[2]]).toEqual([pems[1]?.publicKey, pems[2]?.publicKey]);
    expect(pool.counts).toMatchObject({ pooled: { EC: 2 }, made: { EC: 2 } });
  });

  it('parses a pooled pair into KeyObjects of its own, which export to JWK (the Node.js 20 hazard is in the job, not in PEM)', () => {
    const gen = manualGenerator();
    const pool = new KeyPairPool({ generate: gen.generate });
    const close = pool.open();
    takeEach(pool);
    finishAll(gen);
    const { privateKey, publicKey } = pool.take('EC');
    close();
    expect(privateKey.export({ format: 'jwk' })).toMatchObject({ kty: 'EC', crv: 'P-256', d: expect.any(String) as unknown });
    expect(publicKey.export({ format: 'jwk' })).toMatchObject({ kty: 'EC', crv: 'P-256' });
  });

  it('ignores a second callback of one job', () => {
    let done: Parameters<PemGenerator>[1] | undefined;
    const pool = new KeyPairPool({
      generate: (type, cb) => {
        if (type === 'EC') done = cb;
      },
      size: 1,
    });
    const close = pool.open();
    takeEach(pool);
    done?.(null, pems[0]);
    done?.(null, pems[1]);
    expect(pool.ready('EC')).toBe(1);
    expect(publicPem(pool.take('EC'))).toBe(pems[0]?.publicKey);
    close();
  });

  describe('a failing job', () => {
    const escaped = useUnhandledRejections({ uncaughtExceptions: true });

    const failing: [string, PemGenerator][] = [
      ['calls back with an error later', (_type, done) => void setImmediate(() => done(new Error('no entropy'))) ],
      ['throws at once', () => {
        throw new Error('no thread pool');
      }],
      ['rejects a promise of its own', (_type, done) => {
        // A generator built on a promise that rejects: the rejection is its to handle; the pool sees the error.
        Promise.reject(new Error('no key')).catch((error: unknown) => done(error as Error));
      }],
      ['calls back with neither error nor pair', (_type, done) => void setImmediate(() => done(null))],
    ];

    it.each(failing)('that %s is dropped: take makes the pair synchronously, nothing escapes', async (_name, generate) => {
      const pool = new KeyPairPool({ generate });
      const close = pool.open();
      takeEach(pool);
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(pool.ready('RSA')).toBe(0);
      expect(pool.making('RSA')).toBe(false);
      const pair = pool.take('RSA');
      expect(pair.publicKey.asymmetricKeyType).toBe('rsa');
      // take started a new job; it fails too, and the pool tries again on the next take.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      close();
      expect(pool.counts.made.RSA).toBe(2);
      expect(pool.counts.failed).toBe(pool.counts.jobs);
      expect(pool.counts.jobs).toBe(3); // RSA and EC after the first takes, RSA again at the next
      expect(await escaped.settled()).toEqual([]);
    });
  });

  it('fills with Node.js generateKeyPair by default: RSA 2048 and EC P-256 PEM pairs, each different', async () => {
    const made = await Promise.all(
      (['RSA', 'EC', 'RSA'] as const).map(
        (type) => new Promise<PemPair>((resolve, reject) => generatePemPair(type, (error, pair) => (error === null && pair !== undefined ? resolve(pair) : reject(error ?? new Error('no pair'))))),
      ),
    );
    expect(new Set(made.map((pair) => pair.publicKey)).size).toBe(3);
    const byType = { RSA: made.filter((pair) => pair.privateKey.length > 1000), EC: made.filter((pair) => pair.privateKey.length < 1000) };
    const pool = new KeyPairPool({ generate: (type, done) => done(null, byType[type].shift()), size: 1 });
    const close = pool.open();
    takeEach(pool);
    const rsa = pool.take('RSA');
    const ec = pool.take('EC');
    close();
    expect(pool.counts.pooled).toEqual({ RSA: 1, EC: 1 });
    expect(rsa.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(ec.privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });
});
