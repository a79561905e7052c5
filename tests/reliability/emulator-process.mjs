// Runs @org/okta-emulator (built) in its own process, as a real server would be: its CPU is not
// the client's. Prints the org URL; controlled over its /__emulator/* admin routes; ends when
// stdin closes.
import { startEmulator } from '@org/okta-emulator';

const org = await startEmulator(JSON.parse(process.argv[2] ?? '{}'));
process.stdout.write(`${org.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void org.close().finally(() => process.exit(0));
});
