import { inspect } from 'node:util';

/**
 * The secrets harness: collects every artefact the library hands to a caller or a log (errors
 * thrown, logger events) and searches all their printed forms for every sentinel secret.
 */
export interface Finding {
  readonly secret: string;
  readonly artefact: string;
  readonly form: string;
}

/**
 * The pieces of a secret worth searching for: the whole value, and for long values a distinctive
 * tail and middle. A client assertion's header and claims are public (the client id, the endpoint,
 * times, a jti): what makes it a credential is its signature, so its pieces come from the
 * signature (a proxy that echoes the first 200 characters of a short HS256 assertion shows claims,
 * not a credential).
 */
function needles(secret: string, what: string | undefined): string[] {
  const out = [secret];
  const signature = what === 'form client_assertion' ? secret.split('.')[2] : undefined;
  const piece = signature !== undefined && signature.length >= 40 ? signature : secret;
  if (piece.length >= 40) {
    out.push(piece.slice(-20));
    const mid = Math.floor(piece.length / 2);
    out.push(piece.slice(mid - 10, mid + 10));
  }
  return out;
}

/** A private key as a test knows it: its PEM body lines and JWK private members are the sentinels. */
export function keySentinels(pem: string, jwk?: Record<string, unknown>): string[] {
  const lines = pem
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('-----'));
  const out = [lines.join(''), ...lines.filter((l) => l.length >= 40)];
  for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
    const v = jwk?.[member];
    if (typeof v === 'string') out.push(v);
  }
  return out;
}

function safe(f: () => string | undefined): string {
  try {
    return f() ?? '';
  } catch (error) {
    return `<threw ${String((error as { name?: unknown }).name)}>`;
  }
}

/** Every printed form of a value: message, stack, the cause chain, JSON.stringify, util.inspect, String. */
export function printedForms(value: unknown): [string, string][] {
  const forms: [string, string][] = [];
  const seen = new Set<unknown>();
  let current: unknown = value;
  for (let depth = 0; depth < 10 && current !== undefined && current !== null && !seen.has(current); depth++) {
    seen.add(current);
    const at = depth === 0 ? '' : `cause${depth}.`;
    const c = current;
    if (c instanceof Error) {
      forms.push([`${at}message`, c.message]);
      forms.push([`${at}stack`, c.stack ?? '']);
    }
    forms.push([`${at}JSON.stringify`, safe(() => JSON.stringify(c))]);
    forms.push([`${at}util.inspect`, safe(() => inspect(c, { depth: 10, showHidden: true, getters: true }))]);
    forms.push([`${at}String`, safe(() => String(c))]);
    if (typeof c === 'object') {
      for (const key of Reflect.ownKeys(c)) {
        const v = safe(() => {
          const member = (c as Record<PropertyKey, unknown>)[key];
          return typeof member === 'string' ? member : '';
        });
        if (v !== '') forms.push([`${at}${String(key)}`, v]);
      }
    }
    current = c instanceof Error || (typeof c === 'object' && 'cause' in c) ? (c as { cause?: unknown }).cause : undefined;
  }
  return forms;
}

export class LeakHarness {
  readonly secrets = new Map<string, string>();
  readonly artefacts: [string, unknown][] = [];
  #scanned = 0;
  #forms = 0;

  addSecrets(values: Iterable<[string, string]> | Iterable<string>, label = 'secret'): void {
    for (const entry of values) {
      const [value, what] = typeof entry === 'string' ? [entry, label] : entry;
      if (value.length >= 8) this.secrets.set(value, what);
    }
  }

  /** Remember an artefact (an error, a log event, anything a caller sees). */
  collect(label: string, value: unknown): void {
    this.artefacts.push([label, value]);
  }

  /** A logger that collects every event. */
  logger(label: string): (event: unknown) => void {
    return (event) => {
      this.collect(`${label} log ${String((event as { type?: string }).type)}`, event);
    };
  }

  /** Search every collected artefact for every secret; empties the artefact list. */
  scan(): Finding[] {
    const findings: Finding[] = [];
    const all = [...this.secrets.entries()].flatMap(([s, what]) => needles(s, what).map((n) => [n, s] as const));
    for (const [label, value] of this.artefacts.splice(0)) {
      this.#scanned++;
      for (const [form, text] of printedForms(value)) {
        this.#forms++;
        for (const [needle, secret] of all) {
          if (text.includes(needle)) findings.push({ secret: `${this.secrets.get(secret) ?? 'secret'} …${secret.slice(-6)}`, artefact: label, form });
        }
      }
    }
    return findings;
  }

  get scanned(): number {
    return this.#scanned;
  }

  get formsSearched(): number {
    return this.#forms;
  }
}
