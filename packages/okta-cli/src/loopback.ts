import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { LoopbackRedirect } from './config/redirect-uri.js';
import { CliError, ExitCode } from './exit-codes.js';

/** The one callback a {@link LoopbackListener} took: its query, and the page the browser gets once the sign-in is settled. */
export interface LoopbackCallback {
  /** The callback's query parameters (`code`, `state`, or `error`): never printed. */
  readonly params: URLSearchParams;
  /** Answers the browser with a fixed page (nothing of the request quoted), then closes its connection; once only. */
  reply(signedIn: boolean): Promise<void>;
}

/** What {@link LoopbackListener.next} waits for, and how long. */
export interface NextCallbackOptions {
  readonly timeoutMs: number;
  /** The sign-in transaction's `state`: a callback without exactly this one is answered 400, and the wait goes on. */
  readonly state: string;
  readonly signal?: AbortSignal;
  /** Told of each callback refused for its `state` (how many so far), to say so on the terminal. */
  readonly onRefused?: (count: number) => void;
}

/**
 * How many callbacks with another `state` are answered 400 before the wait ends (exit 4). Any page
 * open in the browser can send the loopback port a callback (a link, an `<img>`, a no-cors `fetch`):
 * had the first one ended the sign-in, one forged request would have refused the real one; a page
 * sending them without end is stopped.
 */
export const maxRefusedCallbacks = 10;

/** The listener of `okta-auth login --browser` on the loopback redirect: one callback, then closed. */
export interface LoopbackListener {
  /**
   * The first GET of the callback path with the loopback `Host` and this sign-in's `state`; rejects
   * when `signal` aborts (its reason), after `timeoutMs`, or after {@link maxRefusedCallbacks} callbacks
   * with another `state` (exit 4).
   */
  next(options: NextCallbackOptions): Promise<LoopbackCallback>;
  /** Stops listening and drops every connection left (idempotent). */
  close(): void;
}

const page = (title: string, text: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>\n`;

const pages = {
  true: page('Signed in', 'okta-auth has its tokens. You can close this tab.'),
  false: page('Sign-in not completed', 'See the terminal where okta-auth runs for what to do.'),
};

/** Nothing that page loads or links to, no caching, no framing, and no Referer with the callback's code. */
const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  connection: 'close',
};

/** Compares a callback's `state` with the sign-in's without stopping at the first difference. */
function sameState(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A refusal: a fixed text, nothing of the request read (no body) or quoted. */
function refuse(res: ServerResponse, status: 400 | 404, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
  res.end(`${text}\n`);
}

/**
 * Listens on the loopback redirect's address and port only (RFC 8252 §7.3). A port that cannot be
 * listened on (in use, EADDRINUSE; not allowed, EACCES) is a configuration error naming it and the
 * `redirectUri` setting (`source`), before any sign-in starts.
 */
export async function listenLoopback(redirect: LoopbackRedirect, source: string): Promise<LoopbackListener> {
  let waiting: { state: string; take: (callback: LoopbackCallback) => void; refused: () => void } | undefined;
  let taken = false;
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    // A page on another site whose name was pointed at 127.0.0.1 (DNS rebinding) sends its own name as Host.
    if (req.headers.host?.toLowerCase() !== redirect.hostHeader) {
      refuse(res, 400, 'Bad request.');
      return;
    }
    const target = req.url ?? '';
    const query = target.indexOf('?');
    const path = query === -1 ? target : target.slice(0, query);
    if (req.method !== 'GET' || path !== redirect.path || taken || waiting === undefined) {
      refuse(res, 404, 'Not found.');
      return;
    }
    const params = new URL(target, 'http://loopback').searchParams;
    const states = params.getAll('state');
    // Not this sign-in's: never given to finishSignIn, which would use up the transaction on it.
    if (states.length !== 1 || !sameState(states[0] ?? '', waiting.state)) {
      refuse(res, 400, 'This is not the sign-in okta-auth is waiting for.');
      waiting.refused();
      return;
    }
    taken = true;
    // No other connection from now on: a second callback is never served.
    server.close();
    const deliver = waiting.take;
    waiting = undefined;
    let replied = false;
    deliver({
      params,
      reply(signedIn) {
        if (replied) return Promise.resolve();
        replied = true;
        return new Promise<void>((resolve) => {
          res.writeHead(200, pageHeaders);
          res.end(pages[`${signedIn}`], () => {
            res.socket?.destroy();
            resolve();
          });
          res.on('close', resolve);
        });
      },
    });
  };
  const server = createServer({ maxHeaderSize: 16 * 1024 }, onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: redirect.host, port: redirect.port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'EADDRINUSE' ? 'another program listens on it' : code === 'EACCES' ? 'this user may not listen on it' : 'it cannot be listened on';
    throw new CliError(
      ExitCode.CONFIG,
      `redirectUri (${source}) names port ${redirect.port} of ${redirect.host}, and ${why} (${code}): stop that program, or register a loopback redirect URI with another port on the app and set redirectUri to it.`,
      { cause: error },
    );
  });
  const close = (): void => {
    server.close();
    server.closeAllConnections();
  };
  return {
    close,
    next({ timeoutMs, state, signal, onRefused }) {
      return new Promise<LoopbackCallback>((resolve, reject) => {
        const stop = (error: unknown): void => {
          clearTimeout(timer);
          waiting = undefined;
          close();
          // The signal's own reason (the caller's), as fetch rejects with it.
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
          reject(error);
        };
        const timer = setTimeout(() => {
          stop(new CliError(ExitCode.AUTH, `No sign-in came back to ${redirect.uri} within ${Math.round(timeoutMs / 60_000)} minutes: run okta-auth login --browser again.`));
        }, timeoutMs);
        const onAbort = (): void => {
          stop(signal?.reason);
        };
        if (signal?.aborted === true) {
          onAbort();
          return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        let refused = 0;
        waiting = {
          state,
          take(callback) {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            resolve(callback);
          },
          refused() {
            refused += 1;
            onRefused?.(refused);
            if (refused < maxRefusedCallbacks) return;
            signal?.removeEventListener('abort', onAbort);
            stop(
              new CliError(
                ExitCode.AUTH,
                `${refused} callbacks came to ${redirect.uri} that were not this sign-in's (another state): a page open in your browser may be sending them; close it and run okta-auth login --browser again.`,
              ),
            );
          },
        };
      });
    },
  };
}
