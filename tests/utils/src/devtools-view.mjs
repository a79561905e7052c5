// What a V8 inspector (Chromium's DevTools, workerd's, Node.js's --inspect) shows of a value when
// it is clicked through: own, private (`#field`) and internal (a Map's `[[Entries]]`) properties,
// with previews, four levels deep. Functions are not opened: their `[[Scopes]]` show any
// closure's variables, which no library can hide from a debugger. Plain JavaScript, so the
// runtime matrix's runner (Node.js without a loader) shares it.
import { Session } from 'node:inspector/promises';

/**
 * The JSON of each `Runtime.getProperties` answer from `objectId` down, through `send` (a DevTools
 * protocol session's: playwright's `cdp.send`, `node:inspector`'s `session.post`).
 */
export async function expandObject(send, objectId, depth = 4) {
  const texts = [];
  const expand = async (id, level) => {
    let properties;
    try {
      properties = await send('Runtime.getProperties', { objectId: id, ownProperties: true, generatePreview: true });
    } catch (error) {
      texts.push(`getProperties failed: ${String(error)}`);
      return;
    }
    texts.push(JSON.stringify(properties));
    if (level >= depth) return;
    for (const p of [...properties.result, ...(properties.privateProperties ?? []), ...(properties.internalProperties ?? [])]) {
      if (p.value?.type === 'object' && p.value.objectId !== undefined) await expand(p.value.objectId, level + 1);
    }
  };
  await expand(objectId, 1);
  return texts.join('\n');
}

const slot = Symbol.for('@org/okta-test-utils/devtools-view');

/** What this process's inspector shows of `value` (its preview, then {@link expandObject}), as text. */
export async function devtoolsView(value, depth = 4) {
  const session = new Session();
  session.connect();
  globalThis[slot] = value;
  const send = (method, params) => session.post(method, params);
  try {
    const { result } = await send('Runtime.evaluate', { expression: `globalThis[Symbol.for(${JSON.stringify(slot.description)})]`, generatePreview: true });
    const expanded = result.type === 'object' && result.objectId !== undefined ? await expandObject(send, result.objectId, depth) : '';
    return `${JSON.stringify(result)}\n${expanded}`;
  } finally {
    Reflect.deleteProperty(globalThis, slot);
    session.disconnect();
  }
}
