// The case-group registry. Each group is a module whose default export is:
//   id, part, title, description?
//   setup(ctx)            -> state, or { skip: 'reason' } when the group cannot run here
//   cases(ctx, state)     -> process cases measured round-robin by the harness:
//                            { id, label, role: 'subject'|'floor'|'peer', cmd, args, display?, cwd?, env?,
//                              timeoutMs?, okExitCodes?, parse?(stdout) -> extra numbers, unavailable?: 'reason' }
//   run?(ctx, state)      -> optional: measures by itself instead (cable events, bundles...) and returns
//                            summarized cases (lib/analyze.mjs summarizeCase) for the same tables
//   analyze(ctx, byId)    -> { targets: [{ id, text, met, detail, value?, threshold? }], ratios?, notes? }
//   teardown(ctx, state)  -> always called, even when setup or measuring failed
// Parts 2-5 of issue 7 (remote host over SSH on loopback, fleets, cable events, bundles) are added
// here as further groups, in run order.
import local from './local.mjs';
import remote from './remote.mjs';
import fleet from './fleet.mjs';
import cables from './cables.mjs';
import bundle from './bundle.mjs';

export const GROUPS = [local, remote, fleet, cables, bundle];
