// A secret's mask, shared by `Secret` (secret-value.ts) and the scrubbers (secret.ts).

/**
 * Shows a secret as a fixed mask: `[redacted]`, or `[redacted …abcd]` with
 * its last four characters when it is long enough (24 characters or more)
 * that four reveal nothing useful.
 *
 * @example
 * ```ts
 * redact('00QCjAl4MlV-WPXM0HmjFx-vbGua0HmjFx'); // '[redacted …mjFx]'
 * ```
 */
export function redact(value: string): string {
  return value.length >= 24 ? `[redacted …${value.slice(-4)}]` : '[redacted]';
}
