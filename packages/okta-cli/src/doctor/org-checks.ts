import { parseOrgUrl, parseRateLimit, type OrgUrl, type RateLimitInfo } from '@org/okta-auth-core';
import { parseHttpDate, readAnswerText } from '@org/okta-auth-core/internal';
import { shown } from '../io.js';
import type { Finding } from './report.js';

/** The org URL's form, as core validates it. */
export function checkOrgUrl(value: string, source: string): { finding: Finding; org?: OrgUrl } {
  try {
    const org = parseOrgUrl(value.trim(), { allowInsecureLoopback: true });
    const plain = org.origin.startsWith('http:');
    return {
      org,
      finding: plain
        ? { status: 'ok', title: `Org URL ${org.origin} (from ${source})`, detail: 'plain http: accepted only because it is a loopback address (a local test org such as the emulator).' }
        : { status: 'ok', title: `Org URL ${org.origin} (from ${source})` },
    };
  } catch (error) {
    return { finding: { status: 'fail', title: `Org URL (from ${source})`, detail: (error as Error).message, fix: 'set orgUrl to your org, such as https://acme.okta.com' } };
  }
}

/** What reaching the org told us. */
export interface Reachability {
  readonly finding: Finding;
  /** Okta's `Date` minus the local clock, in seconds. */
  readonly skewSeconds?: number;
}

const maxDocumentBytes = 256 * 1024;
/** The fix for an answer that is not an Okta org's discovery document. */
const notOkta = 'check that orgUrl is your Okta org (or its custom domain)';
/** How long the doctor waits for the whole discovery document (headers and body) before it says the org did not answer. */
const reachWaitSeconds = 15;

const stalled = (error: unknown): boolean => error instanceof Error && (error.name === 'TimeoutError' || (error as { code?: unknown }).code === 'TIMEOUT');

/** Fetches the org's discovery document: reachable, really an Okta org, and its `Date` for the clock check. */
export async function checkReachable(org: OrgUrl, fetcher: typeof fetch, via?: string): Promise<Reachability> {
  const url = org.resolve('/.well-known/openid-configuration');
  const title = `Reach ${org.origin}`;
  let response: Response;
  const sent = Date.now();
  try {
    response = await fetcher(url, { redirect: 'manual', signal: AbortSignal.timeout(reachWaitSeconds * 1000) });
  } catch (error) {
    // Connected but silent (a firewall that accepts and drops, a hung proxy): said so, not as an error name.
    if (stalled(error)) return { finding: { status: 'fail', title, detail: `no answer: the org did not answer within ${reachWaitSeconds} s${via === undefined ? '' : ` ${via}`}.`, fix: 'check the domain name, your network, VPN or proxy (HTTPS_PROXY)' } };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message?.slice(0, 100) ?? (error as Error).name;
    return { finding: { status: 'fail', title, detail: `no answer (${why})${via === undefined ? '' : ` ${via}`}.`, fix: 'check the domain name, your network, VPN or proxy (HTTPS_PROXY)' } };
  }
  const received = Date.now();
  const date = parseHttpDate(response.headers.get('date'));
  // Date has whole seconds: take the middle of the round trip and allow for the truncation.
  const skewSeconds = Number.isNaN(date) ? undefined : Math.round((date + 500 - (sent + received) / 2) / 1000);
  const withSkew = (finding: Finding): Reachability => (skewSeconds === undefined ? { finding } : { finding, skewSeconds });
  if (response.status >= 300 && response.status < 400) {
    return withSkew({ status: 'fail', title, detail: `it redirects (${response.status}) to ${shown(response.headers.get('location') ?? 'elsewhere')}.`, fix: 'use the URL it redirects to as orgUrl' });
  }
  // The one bounded reader: at most maxDocumentBytes are read, the rest of the stream is cancelled.
  // The same wait bounds the body: an answer that stops halfway is a finding (exit 6), never a
  // TIMEOUT thrown past the doctor (exit 5, no report).
  let text: string;
  let truncated: boolean;
  try {
    ({ text, truncated } = await readAnswerText(response, maxDocumentBytes));
  } catch (error) {
    const why = stalled(error) ? `its answer (${response.status}) stopped before the end: not complete within ${reachWaitSeconds} s.` : `its answer (${response.status}) could not be read.`;
    return withSkew({ status: 'fail', title, detail: why, fix: 'check your network, VPN or proxy (HTTPS_PROXY): something between you and the org holds the answer back' });
  }
  // Said as it is: the first 256 KiB of a larger answer would be misread as no JSON at all.
  if (truncated) {
    return withSkew({ status: 'fail', title, detail: `${url.pathname} answered ${response.status} with more than ${maxDocumentBytes / 1024} KiB: Okta's discovery document is a few KiB.`, fix: notOkta });
  }
  let issuer: unknown;
  try {
    issuer = (JSON.parse(text) as { issuer?: unknown }).issuer;
  } catch {
    issuer = undefined;
  }
  if (!response.ok || typeof issuer !== 'string') {
    return withSkew({ status: 'fail', title, detail: `${url.pathname} answered ${response.status} without Okta's discovery document.`, fix: notOkta });
  }
  if (issuer !== org.origin) {
    return withSkew({ status: 'warn', title, detail: `the org calls itself ${shown(issuer)}.`, fix: `set orgUrl to ${shown(issuer)}` });
  }
  return withSkew({ status: 'ok', title, detail: `discovery document found, issuer ${issuer}` });
}

/** Beyond this, DPoP proofs (Okta: `iat` within a short window) and client assertions built on the local clock fail. */
const maxSkewSeconds = 60;

/** The local clock against Okta's `Date`. */
export function checkClock(skewSeconds: number | undefined): Finding {
  if (skewSeconds === undefined) return { status: 'skip', title: 'Clock', detail: 'Okta sent no Date header.' };
  const size = Math.abs(skewSeconds);
  const words = `this machine's clock is ${size} s ${skewSeconds > 0 ? 'behind' : 'ahead of'} Okta's`;
  if (size < maxSkewSeconds) return { status: 'ok', title: 'Clock', detail: size <= 2 ? "in step with Okta's Date" : words };
  return {
    status: 'fail',
    title: 'Clock',
    detail: `${words}: client assertions and DPoP proofs carry times Okta checks, and tools that trust the local clock will be refused.`,
    fix: 'synchronise the clock (timedatectl set-ntp true, or your OS time settings)',
  };
}

/** The rate limit left in the window of the probe call. */
export function checkRateLimit(headers: Headers | undefined, info: RateLimitInfo | undefined, path: string, skewSeconds: number | undefined): Finding {
  const rate = info ?? (headers === undefined ? {} : parseRateLimit(headers));
  if (rate.limit === undefined || rate.remaining === undefined) return { status: 'skip', title: 'Rate limit', detail: 'no X-Rate-Limit headers on the answer.' };
  const resetIn = rate.reset === undefined ? undefined : Math.max(0, Math.round(rate.reset - Date.now() / 1000 - (skewSeconds ?? 0)));
  const detail = `${rate.remaining} of ${rate.limit} requests left for ${path}${resetIn === undefined ? '' : `, window resets in ${resetIn} s`}`;
  if (rate.remaining === 0) return { status: 'fail', title: 'Rate limit', detail, fix: 'wait for the window to reset; find what else uses this org (System Log, rate limit dashboard)' };
  if (rate.remaining < rate.limit * 0.1) return { status: 'warn', title: 'Rate limit', detail, fix: 'less than 10 % left: something else is using this org heavily' };
  return { status: 'ok', title: 'Rate limit', detail };
}
