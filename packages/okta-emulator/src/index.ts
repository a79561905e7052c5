export { startEmulator } from './emulator.js';
export { isOktaEmulatorError, OktaEmulatorError, type OktaEmulatorErrorCode } from './emulator-error.js';
export { SEED_PASSWORD } from './state/store.js';
export type { CreateUserOptions, EmulatorOptions, LogEventEntity, OktaEmulator, RecordLogEventOptions } from './emulator-api.js';
export type { OinAppOptions, ServiceAppCredentials, ServiceAppOptions, SignInAppCredentials, SignInAppOptions } from './state/app-options.js';
export type { CounterSnapshot } from './controls/counters.js';
export type { FaultKind, FaultSpec } from './controls/faults.js';
export type { IdTokenCorruption } from './state/context.js';
export type { GroupsClaim, RotationMode, TokenEndpointAuthMethod } from './state/model.js';
