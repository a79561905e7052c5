/** A promise and what settles it: the Redis tests' one way to hold a step (a token request, a poll) until the test lets it go. */
export function gate<T = void>(): { opened: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const opened = new Promise<T>((resolve) => (open = resolve));
  return { opened, open };
}
