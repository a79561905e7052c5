// A minimal loopback HTTP server for the warm-path benchmark: every request
// gets the same small JSON answer, so the server's cost is small and the
// same for every contender. Runs in a child process so that its CPU time is
// not counted as the client's. Sends { port } to the parent when listening.
import { createServer } from 'node:http';

const body = JSON.stringify({
  id: '00ub0oNGTSWTBKOLGLNR',
  status: 'ACTIVE',
  created: '2026-01-01T00:00:00.000Z',
  profile: { login: 'isaac.brock@example.com', email: 'isaac.brock@example.com', firstName: 'Isaac', lastName: 'Brock' },
  _links: { self: { href: 'http://127.0.0.1/api/v1/users/00ub0oNGTSWTBKOLGLNR' } },
});
const headers = {
  'content-type': 'application/json',
  'content-length': String(Buffer.byteLength(body)),
  'x-okta-request-id': 'bench',
  'x-rate-limit-limit': '600',
  'x-rate-limit-remaining': '599',
  'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 3600),
};

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});
process.on('disconnect', () => process.exit(0));
