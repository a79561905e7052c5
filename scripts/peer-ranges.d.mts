// Types of scripts/peer-ranges.mjs, for the test that runs it (tests/reliability).

/** The range a sibling's peer dependency on a package released at `version` should have: its minor, from `version`. */
export function peerRange(version: string): string;

/** The peer ranges on a workspace package that differ from peerRange(its version); with `write`, each is set to it. */
export function syncPeerRanges(root: string, options?: { write?: boolean }): { file: string; name: string; from: string; to: string }[];
