import { spawn } from 'node:child_process';

/**
 * The program that opens `url` and its arguments: `$BROWSER` if set (`none` turns it off), else
 * the platform's opener (`open`, `xdg-open`; on Windows `rundll32 url.dll,FileProtocolHandler`).
 * Never a shell: the URL's query is the org's choice, and `cmd /c start` read `|`, `^`, `%` or
 * `&` in it as its own syntax (`?user_code=X|calc` ran calc).
 */
export function browserCommand(url: string, env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): { command: string; args: string[] } | undefined {
  const browser = env.BROWSER?.trim();
  if (browser === 'none') return undefined;
  if (browser !== undefined && browser !== '') return { command: browser, args: [url] };
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  if (env.DISPLAY === undefined && env.WAYLAND_DISPLAY === undefined) return undefined;
  return { command: 'xdg-open', args: [url] };
}

/**
 * Tries to open a URL in the user's browser ({@link browserCommand}). Never waits for it and never
 * fails: the URL is printed anyway. The browser (which outlives the CLI, and may be any program
 * `$BROWSER` names) gets the CLI's environment without every `OKTA_*` variable: the API token,
 * client secret and private key of `OKTA_CLIENT_*` stay with the CLI.
 */
export function openBrowser(url: string, env: Readonly<Record<string, string | undefined>>): boolean {
  const opener = browserCommand(url, env);
  if (opener === undefined) return false;
  // Windows reads variable names in any case: okta_client_token is OKTA_CLIENT_TOKEN there.
  const kept = Object.entries(env).filter(([name]) => !/^OKTA_/i.test(name));
  try {
    const child = spawn(opener.command, opener.args, { stdio: 'ignore', detached: true, env: Object.fromEntries(kept) });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
