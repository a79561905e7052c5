#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ignoredSettings, readTourConfig } from './config.js';
import { readConfigOrTell, runMain } from './ui/entry.js';
import { runTour } from './tour/run-tour.js';
import { paint, terminalCaps, terminalJson } from './ui/terminal.js';
import { plural, silentUi, terminalUi } from './ui/ui.js';

const HELP = `pnpm demo [--json]

A tour of every way to call Okta's APIs with these packages. With no OKTA_CLIENT_* variables it
runs on two emulated orgs it starts itself; with them it runs the read-only steps on your org:

  OKTA_CLIENT_ORGURL       your org, such as https://acme.okta.com
  OKTA_CLIENT_TOKEN        an API token (step 1)
  OKTA_CLIENT_CLIENTID     a service app's client id (step 2)
  OKTA_CLIENT_SCOPES       its scopes, such as "okta.users.read"
  OKTA_CLIENT_PRIVATEKEY   its private key, PKCS#8 PEM or private JWK
  OKTA_CLIENT_KEYID        the key's kid (when the app has several keys)

  --json   print one JSON document (for scripts) instead of the tour
  --help   this text

Exit code: 0 when every step that ran succeeded, 1 when one failed, 2 for bad settings.`;

async function main(): Promise<number> {
  let json: boolean;
  try {
    const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
    if (values.help) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    json = values.json;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}\n`);
    return 2;
  }
  const caps = terminalCaps(process.stdout, process.env);
  const config = readConfigOrTell(
    () => readTourConfig(process.env),
    ignoredSettings(process.env, 'tour'),
    (error) => {
      if (json) process.stdout.write(`${terminalJson({ ok: false, error: { message: error.message, variable: error.variable } })}\n`);
    },
  );
  if (config === undefined) return 2;

  const ui = json ? silentUi() : terminalUi(process.stdout, caps);
  if (!json) {
    process.stdout.write(`${paint(caps, 'bold', 'okta-auth demo')}\n`);
    const lead =
      config.mode === 'emulator'
        ? 'No OKTA_CLIENT_* settings the tour reads: running on local emulated Okta orgs (nothing leaves this machine).'
        : `Running the read-only steps on ${config.orgUrl}: nothing is created or changed.`;
    process.stdout.write(`${paint(caps, 'dim', lead)}\n`);
  }
  const report = await runTour(config, ui);
  if (json) {
    process.stdout.write(`${terminalJson(report)}\n`);
  } else {
    const counts = { ok: 0, skipped: 0, failed: 0 };
    for (const step of report.steps) counts[step.status]++;
    process.stdout.write(
      `\n${paint(caps, report.ok ? 'green' : 'red', report.ok ? 'Done' : 'Failed')}: ${plural(counts.ok, 'step')} ran, ${String(counts.skipped)} skipped, ${String(counts.failed)} failed, in ${(report.elapsedMs / 1000).toFixed(1)} s.\n`,
    );
  }
  return report.ok ? 0 : 1;
}

runMain(main);
