import type { Hooks } from 'ky';

/**
 * The hook lists `oktaKyHooks` returns, each present (ky 2.2 types them `readonly … | undefined`), so code that
 * spreads them into its own lists compiles.
 * @example
 * ```ts
 * import { oktaKyHooks, type OktaKyHooks } from '@org/okta-auth-core/ky';
 * import type { OktaCredential } from '@org/okta-auth-core';
 * declare const credential: OktaCredential;
 * const hooks: OktaKyHooks = oktaKyHooks({ credential });
 * const beforeRequest = [...hooks.beforeRequest]; // add your own after ours
 * ```
 * @see https://github.com/sindresorhus/ky#hooks
 */
export type OktaKyHooks = { [K in 'init' | 'beforeRequest' | 'beforeRetry' | 'afterResponse' | 'beforeError']-?: Exclude<Hooks[K], undefined> };
