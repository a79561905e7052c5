import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The header lines as sent, unfolded: [name, value, name, value, …]. */
  rawHeaders: string[];
  body: string;
}

/** A raw HTTP request (no fetch header merging), for asserting repeated headers. */
export function rawRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

export function ssws(token: string): Record<string, string> {
  return { Authorization: `SSWS ${token}`, Accept: 'application/json' };
}

/** Parse an RFC 8288 Link header into rel → URL. */
export function parseLinks(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (header === null) return out;
  for (const part of header.split(',')) {
    const [target = '', ...params] = part.split(';').map((s) => s.trim());
    const rel = params.find((p) => p.startsWith('rel='))?.slice(4).replaceAll('"', '');
    if (rel !== undefined && target.startsWith('<') && target.endsWith('>')) out[rel] = target.slice(1, -1);
  }
  return out;
}
