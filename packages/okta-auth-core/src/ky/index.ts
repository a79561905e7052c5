export type { CreateOktaKyOptions } from './create-okta-ky.js';
export { createOktaKy } from './create-okta-ky.js';
export type { OktaKyOptions } from './hooks.js';
export { oktaKyHooks } from './hooks.js';
export type { OktaKyHooks } from './hook-lists.js';
