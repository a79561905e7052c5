export { startEmulator } from './emulator.js';
export { SEED_PASSWORD } from './store.js';
export type { CreateUserOptions, EmulatorOptions, OktaEmulator } from './emulator.js';
export type { OinAppOptions, ServiceAppCredentials, ServiceAppOptions, SignInAppCredentials, SignInAppOptions } from './apps.js';
export type { CounterSnapshot } from './counters.js';
export type { FaultKind, FaultSpec } from './faults.js';
export type { IdTokenCorruption } from './context.js';
export type { GroupsClaim, RotationMode, TokenEndpointAuthMethod } from './model.js';
