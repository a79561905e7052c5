// Types of scripts/peer-ranges.mjs, for the test that runs it (tests/reliability).

/** The range a sibling's peer dependency on a package released at `version` should have: its minor, from `version`. */
export function peerRange(version: string): string;

/** The peer ranges on a workspace package that differ from peerRange(its version); with `write`, each is set to it. */
export function syncPeerRanges(root: string, options?: { write?: boolean }): { file: string; name: string; from: string; to: string }[];

/** Core's VERSION (`src/config/version.ts`) when it differs from core's package.json; with `write`, it is set to it. */
export function syncCoreVersion(root: string, options?: { write?: boolean }): { file: string; name: string; from: string; to: string }[];

/** Why the release step must not run yet, or `undefined` once the first release is made (core has a CHANGELOG.md). */
export function beforeFirstRelease(root: string): string | undefined;
