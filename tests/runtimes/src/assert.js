// A tiny assertion helper for the portable suite: web standards only, so it
// runs unchanged on Node.js, Bun, Deno, workerd and in a browser page.

export class AssertionError extends Error {
  name = 'AssertionError';
}

function show(value) {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

export function ok(value, message) {
  if (!value) throw new AssertionError(message ?? `expected a truthy value, got ${show(value)}`);
}

export function equal(actual, expected, message) {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message === undefined ? '' : `${message}: `}expected ${show(expected)}, got ${show(actual)}`);
  }
}

export function match(text, pattern, message) {
  if (typeof text !== 'string' || !pattern.test(text)) {
    throw new AssertionError(`${message === undefined ? '' : `${message}: `}expected ${show(text)} to match ${String(pattern)}`);
  }
}

/** Asserts that `secret` appears in none of `texts` (never prints the secret itself). */
export function notContains(texts, secret, message) {
  ok(typeof secret === 'string' && secret.length >= 8, 'notContains needs a real secret');
  for (const text of texts) {
    if (String(text).includes(secret)) throw new AssertionError(`${message ?? 'a secret leaked'} (in ${String(text).length} characters of text)`);
  }
}

/** Awaits `promise` (or calls `fn`) and returns what it threw; fails if it did not throw. */
export async function rejects(promiseOrFn, message) {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (error) {
    return error;
  }
  throw new AssertionError(message ?? 'expected a rejection');
}

/** Everything an error could show a user or a log: message, stack, JSON, cause chain. */
export function errorTexts(error) {
  const texts = [String(error), String(error?.message), String(error?.stack)];
  try {
    texts.push(JSON.stringify(error));
  } catch {
    // not serializable: nothing to show
  }
  for (let cause = error?.cause, depth = 0; cause !== undefined && cause !== null && depth < 5; cause = cause.cause, depth++) {
    texts.push(String(cause), String(cause.message), String(cause.stack));
  }
  return texts;
}
