#!/usr/bin/env node
// `pnpm demo:web`: the browser sign-in demo, on an emulated org or on yours.
import { readFile } from 'node:fs/promises';
import { readConfigOrTell, runMain, untilStopped } from '../ui/entry.js';
import { paint, terminalCaps } from '../ui/terminal.js';
import { ignoredSettings } from '../config.js';
import { readWebConfig, WEB_ENV } from './config.js';
import { startWebDemo, type WebDemo } from './server.js';

async function main(): Promise<number> {
  const caps = terminalCaps(process.stdout, process.env);
  const errCaps = terminalCaps(process.stderr, process.env);
  const config = readConfigOrTell(() => readWebConfig(process.env), ignoredSettings(process.env, 'web'));
  if (config === undefined) return 2;
  const script = await readFile(new URL('./public/app.js', import.meta.url), 'utf8').catch(() => undefined);
  if (script === undefined) {
    process.stderr.write(`${paint(errCaps, 'red', '✖')} The browser bundle is missing: run "pnpm demo:web" from the repository root (it builds first).\n`);
    return 1;
  }
  let demo: WebDemo;
  try {
    demo = await startWebDemo({ config, browserScript: script });
  } catch (error) {
    // The port comes from PORT or the redirect URI: say which to change, not Node.js's stack.
    const { code, address } = error as { code?: string; address?: string };
    const match = config.mode === 'org' ? ` (and ${WEB_ENV.redirectUri} to match)` : '';
    // The server holds its port on [::1] too, where a browser looks for localhost first.
    const where = address === '::1' ? ' on [::1], where a browser looks for localhost first' : '';
    const problem =
      code === 'EADDRINUSE'
        ? `is in use${where}: set ${WEB_ENV.port} to another port${match}`
        : code === 'EACCES'
          ? `needs privileges here (EACCES): set ${WEB_ENV.port} to a port from 1024 to 65535${match}`
          : undefined;
    if (problem === undefined) throw error;
    process.stderr.write(`${paint(errCaps, 'red', '✖')} Port ${String(config.port)} ${problem}.\n`);
    return 2;
  }
  const out = (text = ''): void => {
    process.stdout.write(`${text}\n`);
  };
  out(paint(caps, 'bold', 'okta-auth web demo'));
  out();
  out(`  Open ${paint(caps, 'cyan', new URL('/', demo.page.redirectUri).href)}`);
  if (demo.emulator !== undefined) {
    out(`  Sign in as ${paint(caps, 'bold', demo.emulator.login)} with password ${paint(caps, 'bold', demo.emulator.password)}`);
    out(paint(caps, 'dim', `  (on a local emulated org at ${demo.emulator.org.url}; set ${WEB_ENV.orgUrl} and ${WEB_ENV.clientId} to use yours)`));
  } else {
    out(paint(caps, 'dim', `  Org ${demo.page.orgUrl}, app ${demo.page.clientId}, redirect URI ${demo.page.redirectUri}`));
  }
  out(paint(caps, 'dim', '  Ctrl-C to stop.'));
  await untilStopped();
  await demo.close();
  return 0;
}

runMain(main);
