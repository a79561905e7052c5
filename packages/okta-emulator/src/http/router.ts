import type { Handler } from './http-types.js';

interface Route {
  method: string;
  segments: string[];
  template: string;
  handler: Handler;
}

export type RouteMatch =
  | { kind: 'found'; handler: Handler; params: Record<string, string>; template: string }
  | { kind: 'method-not-allowed'; template: string; allowed: string[] }
  | { kind: 'not-found' };

/** A tiny path router: `/api/v1/users/:id` style templates, parameters percent-decoded. */
export class Router {
  readonly #routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    this.#routes.push({ method, segments: template.split('/'), template, handler });
    return this;
  }

  match(method: string, rawPath: string): RouteMatch {
    const parts = rawPath.split('/');
    const allowed: string[] = [];
    let template: string | undefined;
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (params === undefined) continue;
      if (route.method === method) return { kind: 'found', handler: route.handler, params, template: route.template };
      allowed.push(route.method);
      template ??= route.template;
    }
    if (template !== undefined) return { kind: 'method-not-allowed', template, allowed };
    return { kind: 'not-found' };
  }
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] ?? '';
    const part = parts[i] ?? '';
    if (seg.startsWith(':')) {
      if (part === '') return undefined;
      let decoded: string;
      try {
        decoded = decodeURIComponent(part);
      } catch {
        return undefined;
      }
      params[seg.slice(1)] = decoded;
    } else if (seg !== part) {
      return undefined;
    }
  }
  return params;
}
