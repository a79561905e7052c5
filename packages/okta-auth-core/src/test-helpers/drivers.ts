import ky from 'ky';
import type { OktaCredential } from '../credential.js';
import type { OktaLogger } from '../config/logger.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import type { PageFetcher } from '../pagination/paginate.js';
import type { CoordinatedRateLimits } from '../rate-limit/rate-limit-coordinator.js';
import type { RetryOptions } from '../config/transport.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';

export interface DriverOptions {
  credential: OktaCredential;
  retry?: RetryOptions | false;
  logger?: OktaLogger;
  timeoutMs?: number;
  userAgent?: string;
  rateLimitCoordinator?: CoordinatedRateLimits;
  /** The fetch each driver sends with (your own instance's, for the hooks). */
  fetch?: typeof fetch;
  /** Your own instance's retries without ky's backoff (its count unchanged): for tests that only count what was sent. */
  noBackoff?: boolean;
}

/** The three ways users call Okta through core, behind one test interface. */
export interface Driver {
  /** GET a path or URL; resolves with the parsed JSON body; rejects with the typed error. */
  getJson(url: string): Promise<unknown>;
  /** POST a JSON body. */
  postJson(url: string, body: unknown): Promise<unknown>;
  pages: PageFetcher;
}

export const drivers: Record<string, (options: DriverOptions) => Driver> = {
  fetch: (options) => {
    const okta = createOktaFetch(options);
    return {
      getJson: async (url) => (await okta(url)).json(),
      postJson: async (url, body) => (await okta(url, { method: 'POST', body: JSON.stringify(body) })).json(),
      pages: (url, init) => okta(url, init),
    };
  },
  'ky instance': (options) => {
    const api = createOktaKy(options);
    return {
      getJson: (url) => api.get(url.replace(/^\//, '')).json(),
      postJson: (url, body) => api.post(url.replace(/^\//, ''), { json: body }).json(),
      pages: (url, init) => api.get(url.replace(/^\//, ''), init),
    };
  },
  'ky hooks on your own instance': (options) => {
    const api = ky.create({
      baseUrl: `${options.credential.origin}/`,
      retry: { limit: 4, statusCodes: [], ...(options.noBackoff === true ? { delay: () => 0 } : {}) },
      ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      hooks: oktaKyHooks(options),
    });
    return {
      getJson: (url) => api.get(url.replace(/^\//, '')).json(),
      postJson: (url, body) => api.post(url.replace(/^\//, ''), { json: body }).json(),
      pages: (url, init) => api.get(url.replace(/^\//, ''), init),
    };
  },
};
