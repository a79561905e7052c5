import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { OktaEmulator } from '@org/okta-emulator';
import { startScriptedServer, until, type ScriptedServer } from '@org/okta-test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, deviceSignInOrg, requireBuiltCli, sandbox, type Sandbox } from '../test-helpers/cli.js';

// A real terminal: the binary runs in a tmux pane (a pty), and the test reads the screen.
const run = promisify(execFile);
const socket = `okta-cli-test-${process.pid}`;
const tmux = (...args: string[]) => run('tmux', ['-L', socket, '-f', '/dev/null', ...args]);
const screen = async () => (await tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'cli')).stdout;

/** Waits for the screen to show `pattern`, however long a loaded machine takes (the test's timeout bounds it), and gives the screen. */
async function waitForScreen(pattern: RegExp, what: string): Promise<string> {
  let text = '';
  return until(async () => pattern.test((text = await screen())) && text, () => `the terminal showing ${what}:\n${text}`, 100);
}

/** The CLI starts its browser and goes on without waiting for it, so the browser's file comes when it comes. */
function waitForFile(path: string, what: string): Promise<string> {
  return until(() => existsSync(path) && readFileSync(path, 'utf8'), `the stand-in browser writing ${what}`, 100);
}

let org: OktaEmulator;
let box: Sandbox;
/** An org whose answers are not JSON and try to drive the terminal. */
let hostile: ScriptedServer;
/** Answers the hostile org's second page of `/api/v1/pages`, once released. */
let releaseSecondPage: () => void = () => undefined;
const secondPage = new Promise<void>((resolve) => {
  releaseSecondPage = resolve;
});
/** Between the CLI and the org: passes every request on, but holds the org's third page of users until released. */
let gate: ScriptedServer;
let releaseThirdPage: () => void = () => undefined;
const thirdPage = new Promise<void>((resolve) => {
  releaseThirdPage = resolve;
});
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);

beforeAll(async () => {
  requireBuiltCli();
  let signInApp: () => string;
  ({ org, signInApp } = await deviceSignInOrg(60));
  hostile = await startScriptedServer((req, res) => {
    // JSON whose strings hold what JSON.stringify leaves as it is: an 8-bit CSI (C1) and a right-to-left override.
    if (req.path === '/api/v1/json') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"json-answer\u009b2K\u202eevil"}');
    // Pages whose rate-limit header tries to drive the terminal from the progress line (an 8-bit CSI, "erase line"); the second page
    // waits until the test has seen the progress line (no race with a fixed delay).
    if (req.path.startsWith('/api/v1/pages')) {
      const headers = { 'content-type': 'application/json', 'x-rate-limit-remaining': '7\u009b2K\u009b1Gevil-progress', link: `<${hostile.url}/api/v1/pages?after=1>; rel="next"` };
      if (req.path === '/api/v1/pages') return void res.writeHead(200, headers).end('[{"id":"first"}]');
      return void secondPage.then(() => res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id":"second"}]'));
    }
    // A line, then a carriage return, "erase line" and a forged line, a colour and an OSC 8 link, an 8-bit CSI, a bidi override.
    res.writeHead(200, { 'content-type': 'text/plain' }).end('genuine-answer\r\x1b[2KFORGED-LINE \x1b[31mred\x1b[0m \x1b]8;;https://evil.example/\x07link\x1b]8;;\x07 \u009b2K\u202eevil\n');
  });
  gate = await startScriptedServer(async (req, res) => {
    if (req.path.startsWith('/api/v1/users') && gate.requests.filter((r) => r.path.startsWith('/api/v1/users')).length === 3) await thirdPage;
    const answer = await fetch(`${org.url}${req.path}`, { headers: { authorization: String(req.headers.authorization) } });
    const headers = [...answer.headers].filter(([name]) => !hopByHop.has(name)).map(([name, value]) => [name, name === 'link' ? value.replaceAll(org.url, gate.url) : value]);
    res.writeHead(answer.status, Object.fromEntries(headers)).end(await answer.text());
  });
  box = sandbox();
  const token = org.createApiToken().token;
  box.writeYaml('cwd', {
    client: { orgUrl: org.url, token },
    profiles: { person: { orgUrl: org.url, authorizationMode: 'User', clientId: signInApp() }, hostile: { orgUrl: hostile.url, token }, gated: { orgUrl: gate.url, token } },
  });
  // A stand-in browser: records the URL it was asked to open.
  const browser = join(box.dir, 'browser.sh');
  // Written whole, then renamed: the CLI does not wait for its browser, so the test waits for the file.
  const opened = join(box.dir, 'opened-url');
  // Its environment first (to opened-url-env), then the URL: once the URL file is there, both are whole.
  writeFileSync(browser, `#!/bin/sh\nenv > '${opened}-env'\nprintf '%s' "$1" > '${opened}.part' && mv '${opened}.part' '${opened}'\n`, { mode: 0o755 });
  const env = { ...box.env, BROWSER: browser, TERM: 'xterm-256color', PS1: '$ ' };
  const exports = Object.entries(env).map(([k, v]) => `export ${k}='${v}'`).join('; ');
  await tmux('new-session', '-d', '-s', 'cli', '-x', '160', '-y', '50', `cd '${box.cwd}' && ${exports} && exec bash --norc --noprofile`);
});

afterAll(async () => {
  await tmux('kill-server').catch(() => undefined);
  await org.close();
  await hostile.close();
  await gate.close();
  box.remove();
});

const type = (line: string) => tmux('send-keys', '-t', 'cli', line, 'Enter');

let commands = 0;
/**
 * Types `command` on a cleared screen, then an exit line of its own (`EXIT<n>=<status>`): a shared
 * `EXIT=` could be the previous command's, still on screen when the shell has not run `clear` yet.
 * `end` waits for that line and gives the screen; `mark` is `EXIT<n>`.
 */
async function typeCommand(command: string): Promise<{ end: (what: string) => Promise<string>; mark: string }> {
  const mark = `EXIT${++commands}`;
  await type('clear');
  await type(`${command}; echo "${mark}=$?"`);
  return { end: (what) => waitForScreen(new RegExp(`${mark}=\\d+`), what), mark };
}

/** Runs the CLI with `args` on a cleared screen; the screen once it exited 0. */
async function apiOnScreen(args: string): Promise<string> {
  const { end, mark } = await typeCommand(`node ${cliPath} ${args}`);
  const done = await end('the end');
  expect(done).toContain(`${mark}=0`);
  return done;
}

describe('in a terminal', () => {
  it('a long pagination shows a progress line while it runs, then only the data (pretty-printed)', async () => {
    // The third page waits until the test has seen the progress line (no race with a latency).
    const command = await typeCommand(`node ${cliPath} --profile gated api GET '/api/v1/users?limit=10' --paginate`);
    try {
      await waitForScreen(/okta-auth: 2 pages, 20 items \(rate limit remaining \d+\), fetching more…/, 'the progress line');
    } finally {
      releaseThirdPage();
    }
    const done = await command.end('the end');
    expect(done).toContain(`${command.mark}=0`);
    expect(done).toContain('"login": "user0060@example.com"');
    expect(done).not.toContain('fetching more'); // erased, not left behind
  });

  it("the progress line shows a rate-limit header only when it is a count: the server's text cannot drive the terminal from there", async () => {
    const { end, mark } = await typeCommand(`node ${cliPath} --profile hostile api GET /api/v1/pages --paginate`);
    let during: string;
    try {
      during = await waitForScreen(/okta-auth: 1 page, 1 items, fetching more…/, 'the progress line');
    } finally {
      releaseSecondPage();
    }
    expect(during).not.toContain('evil-progress');
    const done = await end('the end');
    expect(done).toContain(`${mark}=0`);
    expect(done).toContain('"id": "second"');
  });

  it('an answer that is not JSON cannot drive the terminal: its control characters are shown as escapes', async () => {
    const done = await apiOnScreen('--profile hostile api GET /api/v1/anything');
    // Printed raw, the carriage return and "erase line" would wipe genuine-answer and leave FORGED-LINE alone on the line.
    expect(done).toContain('genuine-answer\\u000d\\u001b[2KFORGED-LINE \\u001b[31mred\\u001b[0m \\u001b]8;;https://evil.example/\\u0007link');
    expect(done).toContain('\\u009b2K\\u202eevil');
  });

  it('a JSON answer cannot drive the terminal either: C1 controls and bidi overrides in its strings are shown as escapes', async () => {
    const done = await apiOnScreen('--profile hostile api GET /api/v1/json');
    expect(done).toContain('"name": "json-answer\\u009b2K\\u202eevil"');
  });

  it("login prompts to open the browser; Enter opens it, without the CLI's OKTA_* secrets in its environment; the approval finishes the sign-in", async () => {
    const secrets = 'OKTA_CLIENT_TOKEN=00tok-SECRET OKTA_CLIENT_CLIENTSECRET=cs-SECRET OKTA_CLIENT_PRIVATEKEY=pk-SECRET okta_client_token=lower-SECRET OKTA_AUTH_PROFILE=person';
    const { end, mark } = await typeCommand(`${secrets} KEPT_VARIABLE=kept node ${cliPath} --profile person login`);
    await waitForScreen(/Press Enter to open it in your browser/, 'the prompt');
    expect(existsSync(join(box.dir, 'opened-url'))).toBe(false);
    await tmux('send-keys', '-t', 'cli', 'Enter');
    await waitForScreen(/Opened the browser\./, 'the browser opening');
    const url = new URL(await waitForFile(join(box.dir, 'opened-url'), 'the URL the browser was asked to open'));
    expect(url.origin + url.pathname).toBe(`${org.url}/activate`);
    const browserEnv = readFileSync(join(box.dir, 'opened-url-env'), 'utf8');
    expect(browserEnv).toContain('KEPT_VARIABLE=kept');
    expect(browserEnv).not.toMatch(/SECRET|^okta_/im);
    org.approveDevice(url.searchParams.get('user_code') ?? '', 'ada@example.com');
    const done = await end('the end of login');
    expect(done).toMatch(new RegExp(`Signed in as ada@example\\.com[\\s\\S]*${mark}=0`));
  });
});
