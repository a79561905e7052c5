export { failure } from './failure.js';
export { activateDevice, fillSignInForm } from './sign-in-robot.js';
