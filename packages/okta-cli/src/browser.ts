import { spawn } from 'node:child_process';

/**
 * Tries to open a URL in the user's browser: `$BROWSER` if set (`none` turns
 * it off), else the platform's opener (`open`, `xdg-open`, `start`). Never
 * waits for it and never fails: the URL is printed anyway.
 */
export function openBrowser(url: string, env: Readonly<Record<string, string | undefined>>): boolean {
  const browser = env.BROWSER?.trim();
  if (browser === 'none') return false;
  let command: string;
  let args: string[];
  if (browser !== undefined && browser !== '') {
    command = browser;
    args = [url];
  } else if (process.platform === 'darwin') {
    command = 'open';
    args = [url];
  } else if (process.platform === 'win32') {
    command = 'cmd';
    args = ['/c', 'start', '""', url.replaceAll('&', '^&')];
  } else {
    if (env.DISPLAY === undefined && env.WAYLAND_DISPLAY === undefined) return false;
    command = 'xdg-open';
    args = [url];
  }
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, env: { ...process.env } });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
