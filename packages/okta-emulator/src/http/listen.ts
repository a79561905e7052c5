import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { optionError, shown } from '../emulator-error.js';
import { LISTEN_BACKLOG } from './server.js';

/** What to do about each error Node.js gives when it cannot listen: the option at fault and the advice. */
function refusal(error: unknown, port: number, host: string): [option: 'port' | 'host', what: string] | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') return ['port', `${String(port)} is in use on ${host}: stop what holds it, pick another port, or pass 0 (the default) for a free one.`];
  if (code === 'EACCES') return ['port', `${String(port)} needs privileges this process lacks on ${host} (ports below 1024 do): pick one from 1024, or pass 0 (the default) for a free one.`];
  // EINVAL: an IPv6 address with a zone this machine has no interface for (`fe80::1%nope`).
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EINVAL') {
    return ['host', `${shown(host)} is not an address of this machine to listen on: use "127.0.0.1" (the default), "::1", or leave host unset.`];
  }
  return undefined;
}

/**
 * Listens on `port` and `host` and answers the org's URL (`http://127.0.0.1:<port>`; an unspecified
 * address is reached on 127.0.0.1). A port in use or not allowed, or a host that is not this
 * machine's, is `INVALID_OPTION` naming the option and what to do (Node's error kept as `cause`, but
 * for a host shaped like a secret). The `okta-emulator` command words the same refusal for its flag
 * (`refusalOf`).
 * @throws {OktaEmulatorError} `INVALID_OPTION` naming `port` or `host`.
 */
export async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error): void => {
      const known = refusal(error, port, host);
      // Node's error holds the host (its message, `hostname`): the builder keeps it only when that is no secret.
      reject(known === undefined ? error : optionError('startEmulator', known[0], known[1], { error, value: host }));
    };
    server.once('error', failed);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const unspecified = address.address === '0.0.0.0' || address.address === '::';
  const shownHost = unspecified ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shownHost}:${String(address.port)}`;
}
