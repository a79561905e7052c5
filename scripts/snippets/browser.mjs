// Deciding which blocks are browser code, compiled with DOM only (compile.mjs).
import { ts } from './workspace.mjs';

/**
 * Browser code is compiled with DOM only; every other block also without DOM, as a Node.js project
 * has it. A README block is browser code when the marker on the line before it says so (the markers
 * of docs/CONVENTIONS.md, "Code", that `readme-examples.server.test.ts` reads): `<!-- not run: a
 * browser page … -->`, or a browser set-up, `<!-- run: browser-… -->`. An @example has no marker: it
 * is browser code when its code uses a page's own global (`browserGlobals`, read by `identifiers`), which no
 * Node.js project has.
 */
const browserMarker = /^<!-- (?:not run: a browser page\b|run: browser-)/;
const browserGlobals = ['window', 'document', 'location', 'history', 'localStorage', 'sessionStorage', 'indexedDB'];

/** Whether a README block is browser code, given the line before it. */
export const browserBlock = (lineBefore) => browserMarker.test(lineBefore ?? '');

/** Whether an @example is browser code, given whether its code uses a name (`identifiers`). */
export const browserExample = (mentions) => browserGlobals.some(mentions);

/**
 * The names an @example's code uses, read by TypeScript's parser: no word of a comment, a string or
 * a template's text ("Okta's window resets", the discovery document, the Location header), nor a
 * property's or member's own name (`url.location`, `{ history: [] }`).
 */
export function identifiers(code) {
  const names = new Set();
  const visit = (node) => {
    const { parent } = node;
    const member = ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent);
    if (ts.isIdentifier(node) && !(member && parent.name === node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(ts.createSourceFile('example.ts', code, ts.ScriptTarget.Latest, true), visit);
  return names;
}
