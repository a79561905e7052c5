// Issue 17's goals, in one place: `pnpm bench` states them in its Goals table
// (report.mjs) and `pnpm size` prints the size goals next to the budgets
// (size.mjs), so a budget can be set to its goal once the goal is met.
// The budgets themselves stay in bench/size-budgets.json: CI fails past them.

/** Issue 17's link, for the labels. */
export const ISSUE = 'issue 17';

/**
 * Size goals, gzip bytes of the browser bundle (esbuild --bundle --minify --platform=browser,
 * gzip -9; entries as in bench/entries). 1 kB = 1000 B, as the report prints sizes.
 * @type {Readonly<Record<string, number>>}
 */
export const SIZE_GOALS = {
  'browser-sign-in': 12_000,
  'service-app-dpop': 10_000,
  'ssws-fetch': 5_000,
};

/**
 * Warm-path goals: client CPU per call, the median of per-round ratios in one run.
 * `of` names the contender measured, `against` the one it is divided by (names as in
 * warm-ssws.mjs and warm-dpop.mjs), `at most` the ratio met at or below, `below` a ratio that
 * must stay under 1.
 * @type {readonly { bench: 'warm-ssws' | 'warm-dpop', of: string, against: string, label: string, atMost?: number, below?: true }[]}
 */
export const WARM_GOALS = [
  {
    bench: 'warm-dpop',
    of: 'ours: createOktaFetch + service app (DPoP)',
    against: 'fetch + one ES256 proof per request (floor)',
    label: 'DPoP call (createOktaFetch + service app): CPU ≤ 1.25× the floor (fetch + one ES256 proof)',
    atMost: 1.25,
  },
  {
    bench: 'warm-dpop',
    of: 'ours: createOktaFetch + service app (DPoP)',
    against: 'oauth4webapi: protectedResourceRequest (DPoP handle)',
    label: 'DPoP call (createOktaFetch + service app): CPU below oauth4webapi',
    below: true,
  },
  {
    bench: 'warm-ssws',
    of: 'ours: createOktaFetch + SSWS',
    against: 'fetch, fixed header (floor)',
    label: 'createOktaFetch + SSWS: CPU ≤ 1.10× a bare fetch with a fixed header',
    atMost: 1.1,
  },
  {
    bench: 'warm-ssws',
    of: 'ours: createOktaKy + SSWS',
    against: 'ky, fixed header',
    label: 'createOktaKy + SSWS: CPU ≤ 1.15× plain ky',
    atMost: 1.15,
  },
];

/** Whether a median ratio meets a warm-path goal (undefined when not measured). */
export function warmGoalMet(goal, median) {
  if (!Number.isFinite(median)) return undefined;
  return goal.below ? median < 1 : median <= goal.atMost;
}

/** "met", or how far a size is from its goal: "+1,234 B to go". */
export function sizeGoalGap(gzipBytes, goal) {
  return gzipBytes <= goal ? 'met' : `+${(gzipBytes - goal).toLocaleString('en-US')} B to go`;
}
