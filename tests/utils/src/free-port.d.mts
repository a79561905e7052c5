/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number>;
/**
 * Starts something on a free port, and again on a fresh port if it fails: another process can
 * take a port between freePort() and the program's own bind. After `attempts` (3) failures the
 * last error is thrown, with the ports tried.
 */
export function startOnFreePort<T>(start: (port: number) => Promise<T>, attempts?: number): Promise<T>;
/**
 * A TCP port on 127.0.0.1 that nothing listens on, and that listen(0) never hands out (it is below
 * the OS's range for port 0), so no test file running at once takes it. Checked refused when picked.
 */
export function closedPort(): Promise<number>;
