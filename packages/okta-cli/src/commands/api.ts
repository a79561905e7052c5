import { createOktaFetch, isOktaAuthError, paginatePages, parseRateLimit, pollSystemLog, type OktaCredential, type Page } from '@org/okta-auth-core';
import { answerSecrets, escapeUnprintable, maxAnswerBytes, readAnswerText } from '@org/okta-auth-core/internal';
import type { CliContext } from '../credential.js';
import { CliError, ExitCode, usageError } from '../exit-codes.js';
import { readInput } from '../files.js';
import { out, progressLine, say, type Io } from '../io.js';
import { wholeNumberFlag } from '../transport-flags.js';
import { hidden } from '../verbose.js';

export interface ApiOptions {
  readonly method: string;
  readonly path: string;
  readonly data?: string | undefined;
  readonly paginate: boolean;
  readonly ndjson: boolean;
  /** `--follow`: the System Log as a stream (core's `pollSystemLog`), one JSON line per event; the wait after an empty page, in seconds. */
  readonly follow?: { readonly intervalSeconds: number } | undefined;
}

const methods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const maxBodyBytes = 10 * 1024 * 1024;

/** The wait after an empty System Log page with `--follow` when `--interval` is not given: Okta's advice, a minute. */
const defaultIntervalSeconds = 60;

/** Checks the method, path and flags before any configuration is read. */
export function checkApiArgs(
  positionals: readonly string[],
  flags: { data?: string | undefined; paginate: boolean; ndjson: boolean; follow?: boolean; interval?: string | undefined },
): ApiOptions {
  const [rawMethod, path, ...extra] = positionals;
  if (rawMethod === undefined || path === undefined) throw usageError('api needs a method and a path: okta-auth api GET /api/v1/users');
  if (extra.length > 0) throw usageError(`api takes one path; unexpected "${extra[0] ?? ''}" (quote a path with spaces or & in it).`);
  // ASCII letters only, as core reads a method: `toUpperCase()` turns `poſt` (U+017F) into POST, a method never typed.
  const method = /^[A-Za-z]+$/.test(rawMethod) ? rawMethod.toUpperCase() : '';
  if (!methods.has(method)) throw usageError(`"${rawMethod.slice(0, 20)}" is not an HTTP method: use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS.`);
  if (!path.startsWith('/') && !/^https?:\/\//i.test(path)) throw usageError(`The path must start with / (such as /api/v1/users), got "${path.slice(0, 60)}".`);
  // fetch refuses a body on these ("the request could not be built", exit 3): the command line is what is wrong.
  if (flags.data !== undefined && (method === 'GET' || method === 'HEAD')) throw usageError(`--data goes with POST, PUT, PATCH, DELETE or OPTIONS: ${method} has no body.`);
  const follow = flags.follow === true;
  if (flags.ndjson && !flags.paginate && !follow) throw usageError('--ndjson goes with --paginate or --follow.');
  if ((flags.paginate || follow) && method !== 'GET') throw usageError(`--${follow ? 'follow' : 'paginate'} works with GET only.`);
  if (flags.interval !== undefined && !follow) throw usageError('--interval goes with --follow.');
  // --follow reads System Log events (each with the uuid the stream goes on by): any other list is refused before it is asked for.
  const pathname = new URL(path, 'http://path.invalid').pathname;
  if (follow && pathname !== '/api/v1/logs') throw usageError(`--follow follows the System Log: its path is /api/v1/logs (with your query), not ${pathname.slice(0, 60)}.`);
  const intervalSeconds = wholeNumberFlag('interval', flags.interval ?? String(defaultIntervalSeconds), 1, 86_400, 'the wait after an empty page in whole seconds', usageError);
  return { method, path, data: flags.data, paginate: flags.paginate || follow, ndjson: flags.ndjson || follow, follow: follow ? { intervalSeconds } : undefined };
}

async function readBody(data: string, io: Io): Promise<string> {
  let text: string | undefined = data;
  if (data.startsWith('@')) {
    try {
      // files.ts's reader of the user's input: bounded as it arrives, never read whole first.
      text = await readInput(data.slice(1), io.stdin, maxBodyBytes);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw usageError(`--data ${data}: ${code === 'EISDIR' ? 'is a folder: name a file, or @- for stdin' : code === 'EILSEQ' ? 'is not UTF-8 text (JSON sent to Okta is UTF-8): save it as UTF-8 (iconv -f latin1 -t utf-8, or your editor\'s encoding setting)' : `cannot read it (${code ?? 'error'})`}.`);
    }
  }
  if (text === undefined || Buffer.byteLength(text) > maxBodyBytes) throw usageError('--data is larger than 10 MB.');
  try {
    JSON.parse(text);
  } catch (error) {
    // The parser's message may quote the input (a password in a new user's profile, say): give the position only.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw usageError(`--data is not valid JSON${position === undefined ? '' : ` (at character ${position})`}.`);
  }
  return text;
}

/**
 * Text for stdout: as it is when stdout is a pipe or a file; on a terminal, core's
 * `escapeUnprintable` (C0/C1 controls, U+2028/U+2029, bidirectional overrides and isolates but the
 * line feed and tab written as JSON escapes, `\u001b`, `\u202e`), so an answer cannot drive the
 * terminal (escapes, OSC 8 links, a `\r` that overwrites the line, reordered text); JSON stays JSON.
 */
function forTerminal(text: string, io: Io): string {
  return io.stdout.isTTY === true ? escapeUnprintable(text) : text;
}

/**
 * JSON for stdout (indented on a terminal unless `indent` says otherwise: one line per item with `--ndjson`), or `undefined` for a value nested too deeply for
 * `JSON.stringify` (a hostile answer thousands of levels deep overflows its stack, where
 * `JSON.parse` does not).
 */
function format(value: unknown, io: Io, indent = io.stdout.isTTY === true): string | undefined {
  try {
    return forTerminal(indent ? JSON.stringify(value, null, 2) : JSON.stringify(value), io);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** An answer that is not JSON, as printed (see {@link forTerminal}), ending with a line feed. */
function shownText(text: string, io: Io): string {
  const shown = forTerminal(text, io);
  return shown.endsWith('\n') ? shown : `${shown}\n`;
}

/** The call's path without its query (which may hold what the person typed), as an error names the call. */
function pathOf(options: ApiOptions): string {
  return new URL(options.path, 'http://x').pathname;
}

/** A word for a POSIX shell: in single quotes, each `'` in it written `'\\''`. */
function shellWord(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * `--follow`'s and `--paginate --ndjson`'s resume line: the command that goes on after the page whose `next` link this is. The
 * link as a path and query on the org (never its origin, which the profile names), scrubbed as
 * `--verbose` scrubs (its `hidden`, over core's list of what that page's request carried: core
 * refuses such a link before the page comes, this keeps it so); a URL percent-encodes controls.
 */
function resumeLine(next: string, response: Response, follow: ApiOptions['follow']): string {
  const url = new URL(next, 'http://path.invalid');
  const where = hidden(`${url.pathname}${url.search}`, answerSecrets(response));
  const interval = follow === undefined || follow.intervalSeconds === defaultIntervalSeconds ? '' : ` --interval ${follow.intervalSeconds}`;
  return `okta-auth: resume with: okta-auth api GET ${shellWord(where)} ${follow === undefined ? '--paginate --ndjson' : '--follow'}${interval}`;
}

/** `okta-auth api METHOD PATH`: one call, or every page with `--paginate`. */
export async function runApi(options: ApiOptions, credential: OktaCredential, ctx: CliContext, io: Io): Promise<void> {
  const body = options.data === undefined ? undefined : await readBody(options.data, io);
  const okta = createOktaFetch({ ...ctx.transport, credential });
  if (!options.paginate) {
    const response = await okta(options.path, { method: options.method, ...(body === undefined ? {} : { body }) });
    // Core's one bounded reader: a stall is TIMEOUT, and an endless answer stops at maxAnswerBytes.
    const { text, truncated } = await readAnswerText(response, maxAnswerBytes);
    if (truncated) throw new CliError(ExitCode.API_ERROR, `${options.method} ${pathOf(options)}: the answer is larger than ${maxAnswerBytes / 1024 / 1024} MiB; ask for less (limit, --paginate).`);
    if (text === '') return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      await out(io, shownText(text, io));
      return;
    }
    const formatted = format(json, io);
    // Too deep to format: printed as it came (JSON still), as an answer that is not JSON is.
    await out(io, formatted === undefined ? shownText(text, io) : `${formatted}\n`);
    return;
  }
  const progress = progressLine(io);
  let pages = 0;
  let items = 0;
  const { follow } = options;
  // One loop for both: a walk that ends (paginate) and the System Log as a stream (--follow, until Ctrl-C).
  const walk: AsyncGenerator<Page<unknown>> =
    follow === undefined ? paginatePages(okta, options.path) : pollSystemLog<unknown>(okta, options.path, { intervalMs: follow.intervalSeconds * 1000 });
  // --follow and --paginate --ndjson: the resume line of the last page whose items were all written,
  // said as the process ends (a signal, a closed pipe, an error such as a page cut short) unless the
  // walk ends (its last page). A JSON array cut short is no JSON: --paginate alone has none.
  let resume: string | undefined;
  const forget = !options.ndjson ? undefined : io.atExit?.(() => {
    if (resume === undefined) return;
    progress.clear();
    say(io, resume);
  });
  if (!options.ndjson) await out(io, '[');
  try {
    for await (const page of walk) {
      pages += 1;
      progress.clear();
      for (const item of page.items) {
        const formatted = options.ndjson ? format(item, io, false) : format(item, io);
        if (formatted === undefined) throw new CliError(ExitCode.API_ERROR, `${options.method} ${pathOf(options)}: item ${items + 1} is nested too deeply to print as JSON (thousands of levels); stopped there.`);
        items += 1;
        await out(io, options.ndjson ? `${formatted}\n` : `${items === 1 ? '\n' : ',\n'}${formatted}`);
      }
      if (page.next === undefined) continue;
      if (options.ndjson) resume = resumeLine(page.next, page.response, follow);
      // A header is the server's text and this line goes to the terminal as it is: core's one reader
      // of the rate-limit headers gives a count, or nothing.
      const { remaining } = parseRateLimit(page.response.headers);
      const rate = remaining === undefined ? '' : ` (rate limit remaining ${remaining})`;
      const waiting = follow !== undefined && page.items.length === 0;
      progress.update(`okta-auth: ${pages} page${pages === 1 ? '' : 's'}, ${items} items${rate}, ${waiting ? `caught up; next poll in ${follow.intervalSeconds} s…` : 'fetching more…'}`);
    }
    forget?.();
  } catch (error) {
    // After the first page, a URL on another origin is the org's next link, not the command line's.
    if (pages === 0 || !isOktaAuthError(error) || error.code !== 'ORIGIN_MISMATCH') throw error;
    // Its origin is not quoted: the org chooses it, and a host name can echo the token.
    throw new CliError(ExitCode.API_ERROR, `${options.method} ${pathOf(options)}: the org's next link points at another origin; stopped after ${pages} page${pages === 1 ? '' : 's'} (nothing was sent there).`);
  } finally {
    progress.clear();
  }
  if (!options.ndjson) await out(io, items === 0 ? ']\n' : '\n]\n');
}
