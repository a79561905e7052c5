// Runs @org/okta-emulator (built) in its own process, as a real server would be: its CPU is not
// the client's. Prints the org URL; controlled over its /__emulator/* admin routes; ends when
// stdin closes. A second argument, a time in epoch milliseconds, freezes this process's `Date.now`
// there: the org's clock is then that time plus the offset the test sets (the soak's virtual clock).
import { startEmulator } from '@org/okta-emulator';

if (process.argv[3] !== undefined) {
  const frozen = Number(process.argv[3]);
  Date.now = () => frozen;
}

const org = await startEmulator(JSON.parse(process.argv[2] ?? '{}'));
process.stdout.write(`${org.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void org.close().finally(() => process.exit(0));
});
