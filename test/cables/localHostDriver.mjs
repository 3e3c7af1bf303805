// Test helper (not a test): runs one LocalCableHost call inside whatever network namespace it is
// started in (`ip netns exec NS node test/cables/localHostDriver.mjs REQUEST`), using the built
// code in dist/. REQUEST is JSON: {"op":"table","profile":...} | {"op":"identify","device","seconds"}
// | {"op":"reach","targets":[...]} | {"op":"watch","nics":[...],"interval"?}. Prints one JSON line
// per result; `watch` prints {"start":...} then one {"change":...} per event and stops when its
// stdin closes, then prints {"end":true}. Errors: {"error":{"name","message"}} and exit 1.
import { LocalCableHost } from '../../dist/cables/localCableHost.js';

const req = JSON.parse(process.argv[2]);
const host = new LocalCableHost({ name: 'lab', ...(req.interval !== undefined ? { intervalMs: req.interval } : {}) });
const print = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

try {
  if (req.op === 'table') print({ table: await host.readTable(req.profile ?? 'everrun-6.0') });
  else if (req.op === 'identify') print({ identify: await host.identify(req.device, req.seconds) });
  else if (req.op === 'reach') print({ reach: await host.reach(req.targets) });
  else if (req.op === 'watch') {
    const stop = new AbortController();
    process.stdin.on('end', () => stop.abort());
    process.stdin.resume();
    await host.watch(req.nics, {
      signal: stop.signal,
      onStart: (initial) => print({ start: Object.fromEntries(initial) }),
      onChange: (e) => print({ change: e }),
    });
    print({ end: true });
  } else throw new Error(`unknown op ${req.op}`);
} catch (err) {
  print({ error: { name: err.name, message: err.message } });
  process.exitCode = 1;
}
