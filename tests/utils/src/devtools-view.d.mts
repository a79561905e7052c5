/** The JSON of each `Runtime.getProperties` answer from `objectId` down (own, private and internal properties; functions not opened). */
export function expandObject(send: (method: string, params: object) => Promise<unknown>, objectId: string, depth?: number): Promise<string>;
/** What a V8 inspector shows of `value` clicked through `depth` (default 4) levels, as text. */
export function devtoolsView(value: unknown, depth?: number): Promise<string>;
