// Runs @org/okta-emulator in a child process (its CPU is then not counted as
// the client's) and exposes its control methods over IPC:
// parent sends { id, op, args }, gets { id, result } or { id, error }.
import { startEmulator } from '@org/okta-emulator';

const options = JSON.parse(process.argv[2] ?? '{}');
const org = await startEmulator(options);
process.on('message', async ({ id, op, args }) => {
  try {
    const result = await org[op](...(args ?? []));
    process.send({ id, result: result ?? null });
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => {
  void org.close().finally(() => process.exit(0));
});
process.send({ ready: true, url: org.url });
