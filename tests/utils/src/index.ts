export { failure } from './failure.js';
export { json, startScriptedServer } from './scripted-server.js';
export type { Handler, RecordedRequest, ScriptedServer } from './scripted-server.js';
export { activateDevice, fillSignInForm } from './sign-in-robot.js';
export { startProxy } from './proxy.js';
export type { ProxyMode, TestProxy } from './proxy.js';
export { installPacked } from './packed.js';
export { newKeyPair } from './key-pair.js';
export type { KeyPairKind } from './key-pair.js';
