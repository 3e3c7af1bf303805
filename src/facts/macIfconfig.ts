import { parsed, type ParseResult } from './parseResult.js';
import { splitLines } from './textLines.js';

/**
 * Parser for probe `macos.ifconfig`: BSD `ifconfig -a` on macOS.
 *
 *   en5: flags=8863<UP,BROADCAST,SMART,RUNNING,SIMPLEX,MULTICAST> mtu 1500
 *   	ether ac:de:48:00:10:20
 *   	media: autoselect (100baseTX <full-duplex>)
 *   	status: active
 *
 * The negotiated speed is the media subtype in parentheses (10baseT/UTP, 100baseTX, 1000baseT,
 * 10GbaseT, 2500Base-T); "media: autoselect" alone (Wi-Fi, or no link) gives no speed.
 * Loopback, tunnels, bridges, AirDrop/peer-to-peer and VMware adapters are marked virtual, and so
 * is the T2 chip's internal "iBridge" USB link (MAC ac:de:48:..., shown as an en* interface that
 * may even report 100baseTX): none of them is a network card.
 */
export interface MacInterface {
  name: string;
  flags: string[];
  mac?: string;
  media?: string;
  speedMbps?: number;
  active?: boolean;
  virtual: boolean;
}

const VIRTUAL = /^(lo|gif|stf|utun|bridge|awdl|llw|p2p|ap|vmnet|vnic|anpi|XHC|VHC|ipsec|ppp|feth|zt)\d*$/;

export function parseMacIfconfig(text: string): ParseResult<MacInterface[]> {
  const out: MacInterface[] = [];
  let current: MacInterface | undefined;
  for (const line of splitLines(text)) {
    const head = /^([a-zA-Z0-9_.-]+):\s+flags=[0-9a-f]+<([^>]*)>/.exec(line);
    if (head) {
      current = { name: head[1]!, flags: head[2]!.split(',').filter(Boolean), virtual: VIRTUAL.test(head[1]!) };
      out.push(current);
      continue;
    }
    if (!current || !/^\s/.test(line)) continue;
    const t = line.trim();
    const ether = /^ether\s+([0-9a-f:]{17})/i.exec(t);
    if (ether) {
      current.mac = ether[1]!.toLowerCase();
      if (current.mac.startsWith('ac:de:48:')) current.virtual = true;
    }
    const media = /^media:\s*(.*)$/.exec(t);
    if (media) {
      current.media = media[1]!.trim();
      const sub = /\((\d+)(G)?base/i.exec(current.media);
      if (sub) current.speedMbps = Number(sub[1]) * (sub[2] ? 1000 : 1);
    }
    const status = /^status:\s*(\S+)/.exec(t);
    if (status) current.active = status[1] === 'active';
  }
  return parsed(out, out.length ? [] : ['no "name: flags=..." interface lines']);
}
