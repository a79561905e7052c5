import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OrgContext } from '../state/context.js';
import { adminOriginAllowed, corsHeaders, forbiddenOrigin, originTrusted, preflightHeaders } from './cors.js';
import { errorPage, faultError, notFound, oktaError, oktaErrorBody, ReplyError, tooLarge } from './errors.js';
import type { FaultSpec } from '../controls/faults.js';
import { htmlReply, jsonReply, emptyReply, type EmuRequest, type Reply } from './http-types.js';
import { randomToken } from '../state/ids.js';
import { keepRecent } from '../state/recent.js';
import { RateLimiter } from '../controls/rate-limit.js';
import { managementFault, rateLimitPrincipal } from '../protocol/resource-auth.js';
import type { Router } from './router.js';
import { managementMediaType } from './management-body.js';
import { logRateLimitViolation } from '../protocol/log-events.js';
import { apiTokenFromPage } from '../protocol/browser-request.js';
import { isAdminPath } from '../controls/admin-routes.js';
import { userinfoFault } from '../routes/userinfo.js';
import { spendProofOf429 } from '../protocol/dpop.js';
import { waitFault, writeSlowly } from './fault-wait.js';
import { readBody } from './read-body.js';

/**
 * How long a client may take over a request before the emulator answers 408 and closes the
 * connection: its headers (a connection that sends nothing included) within `headersTimeout`, the
 * whole request within `requestTimeout`, checked every `connectionsCheckingInterval` (ms). Node's
 * defaults (60 s, 300 s, checked every 30 s) let a client that trickles its headers or body hold a
 * connection for minutes. Loopback delivers a 1 MiB body in milliseconds. An answer the org holds
 * back (a `latency` fault) is not a request still arriving: these never cut it. Okta documents no
 * such bound [I]. Mutable for the emulator's own tests only.
 */
export const SERVER_BOUNDS = { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000 };

/**
 * How many connections the kernel may hold for the org before it accepts them. Node's default, 511,
 * overflowed when a test opened 3,000 at once: some were reset (`ECONNRESET`) before the org could answer
 * them, where Okta answers each (a 429 when over a limit). The kernel caps it at `net.core.somaxconn`.
 */
export const LISTEN_BACKLOG = 4096;

/** The request pipeline: request id, Date, CORS, counters, concurrency, faults, rate limits, routing. */
export function createRequestListener(
  ctx: OrgContext,
  router: Router,
  adminRouter: Router,
): (req: IncomingMessage, res: ServerResponse) => void {
  const violations = new Map<string, number>();
  return (req, res) => {
    handle(ctx, router, adminRouter, req, res, violations).catch(() => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(oktaErrorBody('E0000009')));
      } else {
        res.destroy();
      }
    });
  };
}

/**
 * The request's URL on the org's origin. A path is taken as a path: `//host/x` stays the path `//host/x`
 * (resolved against the org it named another host, and `//[` threw); an absolute-form target keeps only
 * its path and query, and one that does not parse is the path `/`.
 */
function requestUrl(origin: string, target: string): URL {
  if (target.startsWith('/')) return new URL(`${origin}${target}`);
  try {
    const given = new URL(target);
    return new URL(`${origin}${given.pathname}${given.search}`);
  } catch {
    return new URL(`${origin}/`);
  }
}

/** One org request counted against its bucket (and its principal's share), with the `X-Rate-Limit-*` headers to send. */
function rateLimit(ctx: OrgContext, method: string, path: string, authorization: string | undefined) {
  const principal = path.startsWith('/api/v1/') ? rateLimitPrincipal(ctx, authorization) : undefined;
  const bucket = RateLimiter.bucketFor(method, path);
  const decision = ctx.limiter.take(bucket, principal);
  const headers = {
    'X-Rate-Limit-Limit': String(decision.limit),
    'X-Rate-Limit-Remaining': String(decision.remaining),
    'X-Rate-Limit-Reset': String(decision.reset),
  };
  return { principal, bucket, decision, headers };
}

async function handle(
  ctx: OrgContext,
  router: Router,
  adminRouter: Router,
  req: IncomingMessage,
  res: ServerResponse,
  violations: Map<string, number>,
): Promise<void> {
  const requestId = randomToken(15).replace(/[-_]/g, 'A');
  const url = requestUrl(ctx.url, req.url ?? '/');
  const method = (req.method ?? 'GET').toUpperCase();
  const admin = isAdminPath(url.pathname);
  // In flight from the request's start (a body still arriving included) to its answer's end, as Okta counts.
  if (!admin) res.once('close', ctx.counters.enter());
  const body = await readBody(req);
  // Logged with its answer's status once sent (none when dropped); the admin API's requests are not.
  const logged = admin ? undefined : ctx.requestLog.add(req, res, url, body ?? Buffer.alloc(0), ctx.clock.date());
  const { origin } = req.headers;
  const trusted = admin ? adminOriginAllowed(ctx.settings.trustedOrigins, ctx.url, origin) : originTrusted(ctx.settings.trustedOrigins, ctx.url, url.pathname, origin) && !apiTokenFromPage(ctx, req);
  if (body === undefined) {
    // Counted and reported like any other org answer (every /api/v1 answer carries X-Rate-Limit-*, PROTO §6).
    const counted = admin ? {} : rateLimit(ctx, method, url.pathname, req.headers.authorization).headers;
    write(ctx, res, withHeaders(tooLarge(url.pathname), { 'X-Okta-Request-Id': requestId, ...corsHeaders(req.headers, trusted), ...counted }));
    return;
  }
  const emuReq: EmuRequest = {
    method,
    url,
    rawPath: url.pathname,
    headers: req.headers,
    body,
    requestId,
    remoteAddress: req.socket.remoteAddress,
    params: {},
  };
  const base: Record<string, string> = {
    'X-Okta-Request-Id': requestId,
    ...corsHeaders(req.headers, trusted),
  };

  if (method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
    if (!admin) ctx.counters.countRequest(`OPTIONS ${url.pathname}`, origin);
    write(ctx, res, emptyReply(204, { ...base, ...preflightHeaders(trusted) }));
    return;
  }

  if (admin) {
    const reply = trusted ? await route(adminRouter, emuReq) : forbiddenOrigin();
    write(ctx, res, withHeaders(reply, base));
    return;
  }

  ctx.store.prune(ctx.clock.nowMs());
  const match = router.match(method, url.pathname);
  ctx.counters.countRequest(`${method} ${match.kind === 'not-found' ? url.pathname : match.template}`, origin);

  if (ctx.concurrencyLimit !== undefined && ctx.counters.inFlight > ctx.concurrencyLimit) {
    ctx.counters.countConcurrencyLimited();
    // Okta's concurrent-limit answer: Limit and Remaining 0, Reset "only a suggestion" (PROTO §6, RLB).
    const reset = String(ctx.clock.nowSeconds() + 1);
    const rl = { 'X-Rate-Limit-Limit': '0', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': reset };
    spendProofOf429(ctx, req.headers);
    write(ctx, res, withHeaders(oktaError(429, 'E0000047'), { ...base, ...rl }));
    return;
  }

  const fault = ctx.faults.take(url.pathname);
  if (logged !== undefined && fault !== undefined) logged.fault = { id: ctx.faults.idOf(fault) ?? '', kind: fault.kind };
  // Unless `handled`, a latency or drop fault acts before the request is handled.
  const early = fault?.handled !== true;
  if ((fault?.kind === 'latency' && early) || fault?.kind === 'hold') {
    if (!(await waitFault(res, fault, ctx))) return;
  }
  if (fault?.kind === 'drop' && early) {
    req.socket.destroy();
    return;
  }

  const { principal, bucket, decision, headers: rl } = rateLimit(ctx, method, url.pathname, req.headers.authorization);
  const headers = { ...base, ...rl };

  if (fault?.kind === 'status') {
    const status = fault.status ?? 503;
    // A 429 says the window is spent (the bucket's reset kept) and spends the request's DPoP proof, as Okta's does; a 5xx spends none.
    if (status === 429) {
      headers['X-Rate-Limit-Remaining'] = '0';
      spendProofOf429(ctx, req.headers);
    }
    const reply = fault.body !== undefined ? jsonReply(status, fault.body) : (userinfoFault(ctx, emuReq, status) ?? managementFault(ctx, emuReq, status) ?? faultError(status, url.pathname));
    // The fault's headers over the answer's own too (its `WWW-Authenticate` or `Cache-Control` replaces the org's).
    write(ctx, res, { ...reply, headers: overlayHeaders(overlayHeaders(headers, reply.headers), fault.headers ?? {}) });
    return;
  }
  if (fault?.kind === 'html') {
    const status = fault.status ?? 502;
    write(ctx, res, withHeaders(htmlReply(status, errorPage(status)), headers));
    return;
  }
  if (fault?.kind === 'redirect') {
    write(ctx, res, withHeaders(emptyReply(fault.status ?? 302, { Location: fault.location ?? '/' }), headers));
    return;
  }
  if (!decision.allowed) {
    // One `system.org.rate_limit.violation` per bucket and window, not one per refused request.
    if (violations.get(bucket) !== decision.reset) {
      keepRecent(violations, bucket, decision.reset, 1000);
      logRateLimitViolation(ctx, emuReq, bucket, principal, decision);
    }
    spendProofOf429(ctx, req.headers);
    write(ctx, res, withHeaders(oktaError(429, 'E0000047'), headers));
    return;
  }

  emuReq.params = match.kind === 'found' ? match.params : {};
  let reply: Reply;
  if (match.kind === 'found') reply = (url.pathname.startsWith('/api/v1/') ? managementMediaType(emuReq) : undefined) ?? (await run(match.handler, emuReq));
  else if (match.kind === 'method-not-allowed')
    reply = oktaError(405, 'E0000022', undefined, [], { Allow: match.allowed.join(', ') });
  else reply = notFound(url.pathname, 'Resource');
  if (logged !== undefined && emuReq.clientId !== undefined) logged.clientId = emuReq.clientId;

  reply = withHeaders(reply, headers);
  if (fault?.kind === 'drop') req.socket.destroy();
  else if (fault?.kind === 'latency') {
    if (await waitFault(res, fault)) write(ctx, res, reply);
  } else if (fault !== undefined) await mangle(ctx, res, reply, fault);
  else write(ctx, res, reply);
}

async function route(router: Router, req: EmuRequest): Promise<Reply> {
  const match = router.match(req.method, req.rawPath);
  if (match.kind === 'found') {
    req.params = match.params;
    return run(match.handler, req);
  }
  // With a `code` and the `option` at fault, as the routes' own refusals (admin-routes.ts).
  if (match.kind === 'method-not-allowed') return jsonReply(405, { error: `${req.rawPath} takes ${match.allowed.join(', ')}, not ${req.method}.`, code: 'INVALID_OPTION', option: 'method', allowed: match.allowed });
  return jsonReply(404, { error: `no admin route ${req.method} ${req.rawPath}`, code: 'NOT_FOUND', option: 'path' });
}

async function run(handler: (req: EmuRequest) => Reply | Promise<Reply>, req: EmuRequest): Promise<Reply> {
  try {
    return await handler(req);
  } catch (e) {
    if (e instanceof ReplyError) return e.reply;
    return oktaError(500, 'E0000009');
  }
}

function withHeaders(reply: Reply, headers: Record<string, string>): Reply {
  return { ...reply, headers: overlayHeaders(headers, reply.headers) };
}

/** `base` with `top` laid over it; header names compare without case, so a name is sent once. */
function overlayHeaders<B extends string | string[], T extends string | string[]>(base: Record<string, B>, top: Record<string, T>): Record<string, B | T> {
  const replaced = new Set(Object.keys(top).map((name) => name.toLowerCase()));
  return { ...Object.fromEntries(Object.entries(base).filter(([name]) => !replaced.has(name.toLowerCase()))), ...top };
}

function write(ctx: OrgContext, res: ServerResponse, reply: Reply): void {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
  res.sendDate = false;
  // The org's Date unless a fault replaced it; a header a fault emptied is not sent.
  const headers = overlayHeaders({ Date: ctx.clock.date().toUTCString() }, reply.headers);
  res.writeHead(reply.status, {
    ...Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== '')),
    'Content-Length': String(body.length),
  });
  res.end(body);
}

/** Apply a `truncate`, `non-json`, `headers` or `slow-body` fault to a real reply (other kinds were handled before). */
async function mangle(ctx: OrgContext, res: ServerResponse, reply: Reply, fault: FaultSpec): Promise<void> {
  if (fault.kind === 'headers') {
    write(ctx, res, { ...reply, headers: overlayHeaders(reply.headers, fault.headers ?? {}) });
    return;
  }
  if (fault.kind === 'non-json') {
    write(ctx, res, {
      status: fault.status ?? reply.status,
      headers: { ...reply.headers, 'Content-Type': 'application/json' },
      body: 'upstream connect error or disconnect/reset before headers. reset reason: overflow',
    });
    return;
  }
  if (fault.kind === 'truncate' || fault.kind === 'slow-body') {
    const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
    res.sendDate = false;
    res.writeHead(reply.status, {
      ...reply.headers,
      Date: ctx.clock.date().toUTCString(),
      'Content-Length': String(fault.kind === 'slow-body' ? body.length : Math.max(body.length, 2)),
    });
    if (fault.kind === 'slow-body') {
      await writeSlowly(res, body, fault);
      return;
    }
    const cut = Math.max(1, Math.floor(body.length / 2));
    res.write(body.subarray(0, cut), () => {
      res.destroy();
    });
    return;
  }
  write(ctx, res, reply);
}
