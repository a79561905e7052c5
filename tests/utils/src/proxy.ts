import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** How the proxy answers a `CONNECT`. */
export type ProxyMode = 'tunnel' | 'refuse';

/** A forward proxy on 127.0.0.1 as corporate networks run them: HTTPS (and here HTTP) tunnelled by `CONNECT`. */
export interface TestProxy {
  readonly url: string;
  /** The `host:port` of every `CONNECT` it was asked for, in order. */
  readonly tunnels: string[];
  /** The `Proxy-Authorization` of each `CONNECT` (`undefined` when none was sent). */
  readonly authorizations: (string | undefined)[];
  /** `tunnel` (default) or `refuse` (answers 403, as a proxy that blocks a host). */
  mode: ProxyMode;
  close(): Promise<void>;
}

/**
 * Starts a `CONNECT` proxy. With `credentials` (`user:password`), a `CONNECT` without that
 * `Proxy-Authorization: Basic` is answered 407. Plain absolute-form requests are refused: every
 * client under test must tunnel.
 */
export async function startProxy(options: { credentials?: string } = {}): Promise<TestProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => {
    res.writeHead(405).end();
  });
  const proxy: TestProxy = {
    url: '',
    tunnels: [],
    authorizations: [],
    mode: 'tunnel',
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    const target = req.url ?? '';
    const authorization = req.headers['proxy-authorization'];
    proxy.tunnels.push(target);
    proxy.authorizations.push(authorization);
    const expected = options.credentials === undefined ? undefined : `Basic ${Buffer.from(options.credentials).toString('base64')}`;
    if (expected !== undefined && authorization !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (proxy.mode === 'refuse') {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const colon = target.lastIndexOf(':');
    const upstream = connect(Number(target.slice(colon + 1)), target.slice(0, colon), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    const end = (): void => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', end);
    client.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(proxy, { url: `http://127.0.0.1:${port}` });
}
