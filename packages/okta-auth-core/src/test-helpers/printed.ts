import { inspect } from 'node:util';

/** Every printed form of an artefact (an error, a log event), its cause chain included: where a secret must not appear. */
export function printed(value: unknown): string[] {
  const out: string[] = [];
  for (let current = value, depth = 0; typeof current === 'object' && current !== null && depth < 6; depth++) {
    const { message, stack } = current as { message?: unknown; stack?: unknown };
    out.push(String(message), String(stack), JSON.stringify(current), inspect(current, { depth: 6 }));
    current = (current as { cause?: unknown }).cause;
  }
  return out;
}
