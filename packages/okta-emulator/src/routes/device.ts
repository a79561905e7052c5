import { authenticateClient } from '../protocol/client-auth.js';
import type { OrgContext } from '../state/context.js';
import { answeringOAuthFailures, OAuthFailure } from '../http/errors.js';
import { htmlReply, jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { randomToken, userCode } from '../state/ids.js';
import type { DeviceAuthRecord } from '../state/model.js';
import type { Router } from '../http/router.js';
import { grantedScopes, parseScopes } from '../protocol/scopes.js';
import { checkPassword } from '../state/sessions.js';
import { logSignIn } from '../protocol/log-events.js';
import { deviceCodePage, messagePage, pageForm, signInPage } from './sign-in-page.js';
import { requireForm } from './token.js';
import { checkGrantAllowed, DEVICE_GRANT } from '../protocol/grants.js';

/** `POST /oauth2/v1/device/authorize` (RFC 8628 section 3.1). */
async function deviceAuthorize(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const form = requireForm(req);
  const client = await authenticateClient(ctx, req, form, `${ctx.url}/oauth2/v1/device/authorize`);
  const app = client.app;
  if (app.kind === 'service') {
    throw new OAuthFailure(400, 'invalid_request', "Clients with 'application_type' of 'service' are not allowed to access the 'device/authorize' endpoint.");
  }
  checkGrantAllowed(client, DEVICE_GRANT);
  const scopes = grantedScopes(app, parseScopes(form.get('scope')));
  const record: DeviceAuthRecord = {
    deviceCode: randomToken(32),
    userCode: userCode(),
    clientId: app.clientId,
    scopes,
    expiresAt: ctx.clock.nowSeconds() + ctx.settings.deviceCodeLifetimeSeconds,
    intervalSeconds: ctx.settings.deviceIntervalSeconds,
    lastPolledAt: undefined,
    status: 'pending',
    userId: undefined,
    authTime: undefined,
  };
  ctx.store.keep('devices', record.deviceCode, record);
  return jsonReply(
    200,
    {
      device_code: record.deviceCode,
      user_code: record.userCode,
      verification_uri: `${ctx.url}/activate`,
      verification_uri_complete: `${ctx.url}/activate?user_code=${record.userCode}`,
      expires_in: ctx.settings.deviceCodeLifetimeSeconds,
      interval: record.intervalSeconds,
    },
    { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
  );
}

function findPending(ctx: OrgContext, code: string): DeviceAuthRecord | undefined {
  const wanted = code.replace(/[^A-Za-z]/g, '').toUpperCase();
  for (const d of ctx.store.devices.values()) {
    if (d.userCode === wanted && d.status === 'pending' && ctx.clock.nowSeconds() < d.expiresAt) return d;
  }
  return undefined;
}

const signInForm = (userCode: string, username?: string, error?: string): string =>
  signInPage({ action: '/activate/sign-in', hidden: { user_code: userCode }, heading: 'Sign in to activate your device', username, error });

function activatePage(req: EmuRequest): Reply {
  return htmlReply(200, deviceCodePage({ userCode: req.url.searchParams.get('user_code') ?? undefined }));
}

function submitCode(ctx: OrgContext, form: URLSearchParams): Reply {
  const code = form.get('user_code') ?? '';
  const device = findPending(ctx, code);
  if (device === undefined) {
    return htmlReply(400, deviceCodePage({ userCode: code, error: 'Invalid code. Check the activation code and try again.' }));
  }
  return htmlReply(200, signInForm(device.userCode));
}

function submitSignIn(ctx: OrgContext, req: EmuRequest, form: URLSearchParams): Reply {
  const device = findPending(ctx, form.get('user_code') ?? '');
  if (device === undefined) {
    return htmlReply(400, deviceCodePage({ error: 'Invalid code. Check the activation code and try again.' }));
  }
  const username = form.get('username') ?? '';
  const user = checkPassword(ctx, username, form.get('password') ?? '');
  logSignIn(ctx, req, user, username, device.clientId);
  if (user === undefined) {
    return htmlReply(401, signInForm(device.userCode, username, 'Sign-in failed. Check your username and password and try again.'));
  }
  device.status = 'approved';
  device.userId = user.id;
  device.authTime = ctx.clock.nowSeconds();
  user.lastLogin = ctx.clock.nowMs();
  return htmlReply(200, messagePage('Device activated', 'Your device is now activated. You can return to it.'));
}

export function registerDeviceRoutes(router: Router, ctx: OrgContext): void {
  router
    .add('POST', '/oauth2/v1/device/authorize', (req) => answeringOAuthFailures(() => deviceAuthorize(ctx, req)))
    .add('GET', '/activate', (req) => activatePage(req))
    .add('POST', '/activate', (req) => pageForm(req, (form) => submitCode(ctx, form)))
    .add('POST', '/activate/sign-in', (req) => pageForm(req, (form) => submitSignIn(ctx, req, form)));
}
