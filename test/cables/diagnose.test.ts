import { describe, expect, it } from 'vitest';
import type { PortRef } from '../../src/cables/correlate.js';
import { judgeUnplug, type JudgeContext } from '../../src/cables/diagnose.js';
import type { PortRole } from '../../src/cables/portTable.js';

const ROLES: Record<string, PortRole> = { eth0: 'management', eth1: 'alink1', eth2: 'alink2', eth3: 'production', eth4: 'bond' };
const ctx = (hostCount = 2): JudgeContext => ({ roleOf: (p) => ROLES[p.nic] ?? null, hostCount, managementNic: 'eth0' });
const p = (host: string, nic: string): PortRef => ({ host, nic });

describe('judgeUnplug: what one unplugged cable proves', () => {
  it('a direct cable between the two hosts\' A-link 1 NICs is A-link 1 as the guide wants', () => {
    const j = judgeUnplug([p('h1', 'eth1'), p('h2', 'eth1')], ctx());
    expect(j.shape).toBe('direct');
    expect(j.summary).toBe('h1 eth1 (A-link 1) and h2 eth1 (A-link 1) lost carrier together: a direct cable between them, as A-link 1 should be');
    expect(j.verdicts.map((v) => [v.port.host, v.verdict, v.peer?.host, v.peer?.nic])).toEqual([
      ['h1', 'ok', 'h2', 'eth1'],
      ['h2', 'ok', 'h1', 'eth1'],
    ]);
  });

  it('crossed A-links (h1 eth1 <-> h2 eth2) are named as crossed on both ends', () => {
    const j = judgeUnplug([p('h1', 'eth1'), p('h2', 'eth2')], ctx());
    expect(j.verdicts.map((v) => v.verdict)).toEqual(['crossed', 'crossed']);
    expect(j.summary).toMatch(/the A-links are crossed \(A-link 1 of h1 reaches A-link 2 of h2\)/);
  });

  it('an A-link whose far end is no watched NIC (a switch) is the wrong peer with two hosts', () => {
    const j = judgeUnplug([p('h1', 'eth2')], ctx());
    expect(j.verdicts[0]).toMatchObject({ verdict: 'wrong-peer', peer: null });
    expect(j.summary).toMatch(/does not go straight to the other host/);
  });

  it('with one host watched, a lone A-link drop only identifies the port', () => {
    const j = judgeUnplug([p('vm', 'eth1')], ctx(1));
    expect(j.verdicts[0]!.verdict).toBe('ok');
    expect(j.summary).toMatch(/the far end is not watched/);
  });

  it('a production cable to a switch drops alone: ok', () => {
    const j = judgeUnplug([p('h1', 'eth3')], ctx());
    expect(j.verdicts[0]!.verdict).toBe('ok');
    expect(j.summary).toMatch(/goes to a switch or another machine, as the production network should/);
  });

  it('production cabled straight to the other host is the wrong peer', () => {
    const j = judgeUnplug([p('h1', 'eth3'), p('h2', 'eth3')], ctx());
    expect(j.verdicts.map((v) => v.verdict)).toEqual(['wrong-peer', 'wrong-peer']);
    expect(j.summary).toMatch(/must go to a switch/);
  });

  it('an A-link cabled to the other host\'s production NIC is the wrong peer', () => {
    const j = judgeUnplug([p('h1', 'eth1'), p('h2', 'eth3')], ctx());
    expect(j.verdicts.map((v) => v.verdict)).toEqual(['wrong-peer', 'wrong-peer']);
    expect(j.summary).toMatch(/A-link 1 must join the two hosts' A-link 1 NICs/);
  });

  it('a loop on one host, and several ports at once, are told apart', () => {
    expect(judgeUnplug([p('h1', 'eth1'), p('h1', 'eth2')], ctx()).shape).toBe('loop');
    const many = judgeUnplug([p('h1', 'eth0'), p('h1', 'eth3'), p('h2', 'eth0')], ctx());
    expect(many.shape).toBe('many');
    expect(many.verdicts).toEqual([]);
    expect(many.summary).toMatch(/3 ports lost carrier at once/);
  });

  it('nothing lost carrier: the dead-cable diagnosis, no verdict', () => {
    const j = judgeUnplug([], ctx());
    expect(j.shape).toBe('none');
    expect(j.summary).toMatch(/another host, the port dead, or not the cable you think/);
  });
});
