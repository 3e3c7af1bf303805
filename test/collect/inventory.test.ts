import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { inventoryFromText, loadInventory, type InventoryHost } from '../../src/collect/inventory.js';
import { InputError } from '../../src/engine/inputError.js';
import { inputError } from '../support/inputError.js';

const FIXTURES = join(__dirname, '../fixtures/inventory');
const dir = mkdtempSync(join(tmpdir(), 'preflight-inventory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Writes a synthetic inventory (hand-written edge case) and returns its path. */
function file(text: string, ext = '.ini'): string {
  const path = join(dir, `inv${n++}${ext}`);
  writeFileSync(path, text);
  return path;
}

/** The error of loading `text` as a file, with the file's path shown as F. */
function errorOf(text: string, ext = '.ini'): string {
  const path = file(text, ext);
  return inputError(() => loadInventory(path)).replace(path, 'F');
}

const brief = (hosts: InventoryHost[]) => hosts.map((h) => ({ name: h.name, host: h.host, user: h.user, port: h.port, identityFile: h.identityFile, role: h.role }));
const roles = (hosts: InventoryHost[]) => hosts.map((h) => `${h.name}=${h.role}`);

describe('real inventories (test/fixtures/inventory)', () => {
  it('openshift-ansible byo/hosts.openstack: group vars with the old ansible_ssh_user, a range, quoted host variables', () => {
    const hosts = loadInventory(join(FIXTURES, 'openshift-byo-hosts.openstack.ini'));
    expect(brief(hosts)).toEqual([
      { name: 'jdetiber-master.usersys.redhat.com', host: 'jdetiber-master.usersys.redhat.com', user: 'cloud-user', port: undefined, identityFile: undefined, role: 'master' },
      { name: 'jdetiber-etcd.usersys.redhat.com', host: 'jdetiber-etcd.usersys.redhat.com', user: 'cloud-user', port: undefined, identityFile: undefined, role: 'member' },
      { name: 'jdetiber-node1.usersys.redhat.com', host: 'jdetiber-node1.usersys.redhat.com', user: 'cloud-user', port: undefined, identityFile: undefined, role: 'member' },
      { name: 'jdetiber-node2.usersys.redhat.com', host: 'jdetiber-node2.usersys.redhat.com', user: 'cloud-user', port: undefined, identityFile: undefined, role: 'member' },
    ]);
    const node2 = hosts[3]!;
    expect(node2.vars.openshift_node_labels).toBe("{'region': 'primary', 'zone': 'default'}");
    expect(node2.vars.openshift_hostname).toBe('{{ ansible_default_ipv4.address }}');
    expect(node2.vars.ansible_sudo).toBe('true');
    expect(node2.vars.openshift_additional_repos).toMatch(/^\[\{'id': 'ose-3\.1'.*'gpgcheck': 0\}\]$/);
    // The etcd host has no host variables of its own: only the OSEv3 group's.
    expect(Object.keys(hosts[1]!.vars)).toEqual([
      'ansible_ssh_user',
      'ansible_sudo',
      'debug_level',
      'deployment_type',
      'openshift_additional_repos',
      'openshift_master_identity_providers',
    ]);
  });

  it('openshift-ansible 40_basic_inventory.ini: children named before their groups are declared', () => {
    const hosts = loadInventory(join(FIXTURES, 'openshift-40-basic-inventory.ini'));
    expect(roles(hosts)).toEqual(['mycluster-bootstrap.example.com=master', 'mycluster-master-0.example.com=member', 'mycluster-worker-0.example.com=member']);
    expect(hosts.map((h) => h.user)).toEqual(['centos', 'centos', 'centos']);
    expect(hosts[0]!.vars).toEqual({
      ansible_ssh_user: 'centos',
      ansible_become: 'True',
      openshift_install_config_path: '~/install-config-ansible.yml',
      openshift_deployment_type: 'origin',
      openshift_release: 'v4.0',
      openshift_ignition_file_path: '~/bootstrap.ign',
    });
    expect(hosts[1]!.vars.openshift_ignition_file_path).toBeUndefined();
  });

  it('k3s-ansible inventory-sample.yml: YAML, a top group other than all, hosts with empty values', () => {
    const hosts = loadInventory(join(FIXTURES, 'k3s-inventory-sample.yml'));
    expect(brief(hosts)).toEqual([
      { name: '192.16.35.11', host: '192.16.35.11', user: 'debian', port: 22, identityFile: undefined, role: 'master' },
      { name: '192.16.35.12', host: '192.16.35.12', user: 'debian', port: 22, identityFile: undefined, role: 'member' },
      { name: '192.16.35.13', host: '192.16.35.13', user: 'debian', port: 22, identityFile: undefined, role: 'member' },
    ]);
    expect(hosts[0]!.vars.token).toBe('changeme!');
    expect(hosts[0]!.vars.api_endpoint).toBe("{{ hostvars[groups['server'][0]]['ansible_host'] | default(groups['server'][0]) }}");
  });

  it('kubespray inventory/local/hosts.ini is refused, as Ansible refuses it: a child group that is never declared', () => {
    const path = join(FIXTURES, 'kubespray-local-hosts.ini');
    expect(inputError(() => loadInventory(path))).toBe(
      `${path}:15:1: [k8s-cluster:children] names group "calico-rr", which is never declared: add a [calico-rr] or [calico-rr:children] section`,
    );
  });

  it('kubespray inventory/sample/inventory.yml is refused, as Ansible refuses it: hosts written as a string', () => {
    const path = join(FIXTURES, 'kubespray-sample-inventory.yml');
    expect(inputError(() => loadInventory(path))).toBe(
      `${path}:21:9: "hosts" of group "etcd" must be a mapping of host names (h1: or h1: {ansible_host: ...}), got the string "node1 node2 node3"`,
    );
  });
});

describe('the examples in examples/', () => {
  const expected = [
    { name: 'xs-lab-01', host: '10.0.0.11', user: 'root', port: undefined, identityFile: join(homedir(), '.ssh/id_ed25519'), role: 'master' },
    { name: 'xs-lab-02', host: '10.0.0.12', user: 'root', port: 2222, identityFile: join(homedir(), '.ssh/id_ed25519'), role: 'member' },
    { name: 'quorum-a', host: '10.0.0.21', user: 'preflight', port: undefined, identityFile: undefined, role: 'quorum' },
    { name: 'quorum-b', host: '10.0.0.22', user: 'preflight', port: undefined, identityFile: undefined, role: 'quorum' },
  ];
  it('inventory.ini and inventory.yaml give the same hosts and roles', () => {
    expect(brief(loadInventory(join(__dirname, '../../examples/inventory.ini')))).toEqual(expected);
    expect(brief(loadInventory(join(__dirname, '../../examples/inventory.yaml')))).toEqual(expected);
  });
});

describe('INI inventories (synthetic)', () => {
  it('honours inline host variables and expands ~/ in the key file', () => {
    const hosts = loadInventory(file('h1 ansible_host=10.0.0.11 ansible_user=root ansible_port=22 ansible_ssh_private_key_file=~/.ssh/id_ed25519\n'));
    expect(brief(hosts)).toEqual([{ name: 'h1', host: '10.0.0.11', user: 'root', port: 22, identityFile: join(homedir(), '.ssh/id_ed25519'), role: 'master' }]);
    expect(hosts[0]!.vars).toEqual({ ansible_host: '10.0.0.11', ansible_user: 'root', ansible_port: '22', ansible_ssh_private_key_file: '~/.ssh/id_ed25519' });
  });

  it('gives roles from the master, members, quorum and management groups', () => {
    const hosts = loadInventory(file('[management]\nmgmt\n[quorum]\nq1\nq2\n[members]\nxs2\nxs3\n[master]\nxs1\n'));
    expect(roles(hosts)).toEqual(['mgmt=management', 'q1=quorum', 'q2=quorum', 'xs2=member', 'xs3=member', 'xs1=master']);
  });

  it('without role groups: the first host (in file order) is master, the others members', () => {
    const hosts = loadInventory(file('ungrouped1\n[web]\nw1\nw2\n[db]\nd1\nw1\n'));
    expect(roles(hosts)).toEqual(['ungrouped1=master', 'w1=member', 'w2=member', 'd1=member']);
  });

  it('with role groups but no master: the first host outside them is master', () => {
    const hosts = loadInventory(file('[quorum]\nq1\n[xen]\nxs1\nxs2\n[members]\nxs3\n'));
    expect(roles(hosts)).toEqual(['q1=quorum', 'xs1=master', 'xs2=member', 'xs3=member']);
  });

  it('with a master group: hosts outside the role groups are members', () => {
    const hosts = loadInventory(file('[other]\nx1\n[master]\nxs1\n'));
    expect(roles(hosts)).toEqual(['x1=member', 'xs1=master']);
  });

  it('gives roles through [group:children] nesting', () => {
    const hosts = loadInventory(file('[site_a]\nxs1\n[site_b]\nxs2\nxs3\n[pool:children]\nsite_b\n[members:children]\npool\n[master:children]\nsite_a\n'));
    expect(roles(hosts)).toEqual(['xs1=master', 'xs2=member', 'xs3=member']);
  });

  it('merges variables as Ansible does: all < parent < child < host; same depth by priority, then name', () => {
    const hosts = loadInventory(
      file(
        [
          '[all:vars]',
          'ansible_user=admin',
          'site=all',
          '[pool:vars]',
          'ansible_user=pool',
          'tier=pool',
          '[pool:children]',
          'xen',
          '[xen:vars]',
          'tier=xen',
          '[xen]',
          'xs1',
          'xs2 ansible_user=root',
          '[b_group]',
          'xs1',
          '[b_group:vars]',
          'color=b',
          '[a_group]',
          'xs1',
          '[a_group:vars]',
          'color=a',
          '[c_group]',
          'xs2',
          '[c_group:vars]',
          'color=c',
          'ansible_group_priority=0',
          '[d_group]',
          'xs2',
          '[d_group:vars]',
          'color=d',
        ].join('\n'),
      ),
    );
    const [xs1, xs2] = hosts;
    expect(xs1!.user).toBe('pool');
    expect(xs1!.vars).toMatchObject({ site: 'all', tier: 'xen', color: 'b' }); // a_group < b_group by name
    expect(xs2!.user).toBe('root');
    expect(xs2!.vars).toMatchObject({ color: 'd' }); // c_group has the lower priority, so d_group wins
  });

  it('takes the old ansible_ssh_* spellings, and prefers them when both are set (as the ssh plugin does)', () => {
    const hosts = loadInventory(
      file(
        'old ansible_ssh_host=10.0.0.1 ansible_ssh_user=u1 ansible_ssh_port=2201 ansible_private_key_file=/k1\n' +
          'both ansible_host=10.0.0.2 ansible_ssh_host=10.0.0.3 ansible_user=a ansible_ssh_user=b ansible_port=1 ansible_ssh_port=2 ansible_private_key_file=/k2 ansible_ssh_private_key_file=/k3\n',
      ),
    );
    expect(brief(hosts)).toEqual([
      { name: 'old', host: '10.0.0.1', user: 'u1', port: 2201, identityFile: '/k1', role: 'master' },
      { name: 'both', host: '10.0.0.3', user: 'b', port: 2, identityFile: '/k3', role: 'member' },
    ]);
  });

  it('treats an empty value as not set, also when it overrides a group value', () => {
    const hosts = loadInventory(file('[all:vars]\nansible_user=admin\n[g]\nh1 ansible_user="" ansible_port=\'\'\nh2 ansible_host=\n'));
    expect(brief(hosts)).toEqual([
      { name: 'h1', host: 'h1', user: undefined, port: undefined, identityFile: undefined, role: 'master' },
      { name: 'h2', host: 'h2', user: 'admin', port: undefined, identityFile: undefined, role: 'member' },
    ]);
  });

  it('expands host ranges as Ansible does: numeric, zero-padded, alphabetic, stepped, several in one name', () => {
    // Letters run a..z then A..Z, as in Python's string.ascii_letters.
    const hosts = loadInventory(file('[g]\nxs[01:03].lab\ndb-[a:c]\nh[1:9:4]\nr[1:2]-[y:z]\nn[:1]\nL[y:B]\n'));
    expect(hosts.map((h) => h.name)).toEqual([
      'xs01.lab',
      'xs02.lab',
      'xs03.lab',
      'db-a',
      'db-b',
      'db-c',
      'h1',
      'h5',
      'h9',
      'r1-y',
      'r1-z',
      'r2-y',
      'r2-z',
      'n0',
      'n1',
      'Ly',
      'Lz',
      'LA',
      'LB',
    ]);
  });

  it('applies inline variables to every host of a range', () => {
    const hosts = loadInventory(file('[members]\nxs[1:2] ansible_user=root\n'));
    expect(hosts.map((h) => [h.name, h.user, h.role])).toEqual([
      ['xs1', 'root', 'member'],
      ['xs2', 'root', 'member'],
    ]);
  });

  it('reads host:port patterns, bracketed IPv6 with a port and bare IPv6; ansible_port overrides the pattern', () => {
    const hosts = loadInventory(file('[g]\nxs1:2222\n[2001:db8::1]:2200\n2001:db8::2\nxs[2:3]:2201\nxs4:2222 ansible_port=22\n'));
    expect(hosts.map((h) => [h.name, h.host, h.port])).toEqual([
      ['xs1', 'xs1', 2222],
      ['2001:db8::1', '2001:db8::1', 2200],
      ['2001:db8::2', '2001:db8::2', undefined],
      ['xs2', 'xs2', 2201],
      ['xs3', 'xs3', 2201],
      ['xs4', 'xs4', 22],
    ]);
  });

  it('unquotes values like shlex and Python literals; "#" starts a comment on host lines', () => {
    const hosts = loadInventory(
      file(
        [
          '[g]',
          `h1 ansible_user="root" note='a b' says="say \\"hi\\"" secret="'03#pa33'" path=C:\\\\dir\\ 1 plain=x#comment  # trailing comment`,
        ].join('\n'),
      ),
    );
    expect(hosts[0]!.vars).toEqual({ ansible_user: 'root', note: 'a b', says: 'say "hi"', secret: '03#pa33', path: 'C:\\dir 1', plain: 'x' });
    expect(hosts[0]!.user).toBe('root');
    // ";" is only a comment at the start of a line; here "not" etc. are not key=value words.
    expect(errorOf('[g]\nh2 a=1 ; note\n')).toBe('F:2:8: expected key=value after the host name, got ";"');
  });

  it('reads :vars values as Ansible does: quoted strings unquoted, comments dropped after literals only', () => {
    const hosts = loadInventory(
      file(['[all:vars]', "quoted='root' # the admin", 'number=8080 # http', 'flag = True # yes', 'word=abc # stays', 'spaced = a b c ', 'escaped="a\\tb"', 'h=x=y', '[g]', 'h1'].join('\n')),
    );
    expect(hosts[0]!.vars).toEqual({ quoted: 'root', number: '8080', flag: 'True', word: 'abc # stays', spaced: 'a b c', escaped: 'a\tb', h: 'x=y' });
  });

  it('merges a host listed in several groups', () => {
    const hosts = loadInventory(file('[g1]\nh1 a=1 b=1\n[g2]\nh1 b=2\n'));
    expect(hosts).toHaveLength(1);
    expect(hosts[0]!.vars).toEqual({ a: '1', b: '2' });
  });

  it('accepts [group:vars] before the group is declared, comments after section headers, CRLF and a BOM', () => {
    const hosts = loadInventory(file('\uFEFF[g:vars]\r\nansible_user=root\r\n[g] # the group\r\n  h1\r\n; comment\r\n'));
    expect(brief(hosts)).toEqual([{ name: 'h1', host: 'h1', user: 'root', port: undefined, identityFile: undefined, role: 'master' }]);
  });

  it('treats hosts under [all] as ungrouped hosts', () => {
    expect(roles(loadInventory(file('[all]\nh1\nh2\n')))).toEqual(['h1=master', 'h2=member']);
  });
});

describe('INI errors name file:line:col and say what was expected (synthetic)', () => {
  it.each([
    ['[g:hostz]\nh1\n', 'F:1:1: unknown section type "hostz" in [g:hostz]: expected [g], [g:vars] or [g:children]'],
    ['[my group]\nh1\n', 'F:1:1: invalid section header "[my group]": expected [group], [group:vars] or [group:children], with no spaces or ":" in the group name'],
    ['[g:vars:x]\n', 'F:1:1: invalid section header "[g:vars:x]": expected [group], [group:vars] or [group:children], with no spaces or ":" in the group name'],
    ['[g]\nh1 ansible_user root\n', 'F:2:4: expected key=value after the host name, got "ansible_user"'],
    ['[g]\nh1 =root\n', 'F:2:4: expected key=value after the host name, got "=root"'],
    ['[g]\nh1 a="b c\n', 'F:2:6: cannot read this host line: the quote " is never closed'],
    ["[g]\n  h1 a='b\n", "F:2:8: cannot read this host line: the quote ' is never closed"],
    ['[g]\nh1 a=b\\', 'F:2:7: cannot read this host line: a backslash at the end of the line escapes nothing'],
    ['[g]\nh1\n[g:vars]\nansible_user\n', 'F:4:1: expected key=value in [g:vars], got "ansible_user"'],
    ['[g]\nh1\n[g:vars]\n=root\n', 'F:4:1: expected key=value in [g:vars], got "=root"'],
    ['[g]\nh1\n[p:children]\ng h\n', 'F:4:1: expected a group name in [p:children], got "g h"'],
    ['[g]\nh1\n[p:children]\ng\nnope\n', 'F:5:1: [p:children] names group "nope", which is never declared: add a [nope] or [nope:children] section'],
    ['[g]\nh1\n[x:vars]\na=1\n', 'F:3:1: [x:vars] is for a group that is never declared: add a [x] or [x:children] section'],
    ['[a]\nh1\n[b]\n[a:children]\nb\n[b:children]\na\n', 'F:7:1: group "a" cannot be a child of "b": "b" is already inside "a" (a loop)'],
    ['[a:children]\na\n', 'F:2:1: group "a" cannot be a child of "a": "a" is already inside "a" (a loop)'],
    ['[g]\nh1\n[g:children]\nall\n', 'F:4:1: group "all" holds every group and cannot be a child of "g"'],
    ['[g]\nh[1]\n', 'F:2:1: host range [1] in "h[1]" must be [begin:end] or [begin:end:step]'],
    ['[g]\nh[3:1]\n', 'F:2:1: host range [3:1] in "h[3:1]" must have begin <= end'],
    ['[g]\nh[c:a]\n', 'F:2:1: host range [c:a] in "h[c:a]" must have begin <= end'],
    ['[g]\nh[01:3]\n', 'F:2:1: host range [01:3] in "h[01:3]" must have begin and end of equal length when zero-padded'],
    ['[g]\nh[a:5]\n', 'F:2:1: host range [a:5] in "h[a:5]" must be numbers or single letters'],
    ['[g]\nh[1:3:0]\n', 'F:2:1: host range [1:3:0] in "h[1:3:0]": the step must be a whole number of at least 1'],
    ['[g]\nh[1:]\n', 'F:2:1: host range [1:] in "h[1:]" has no end'],
    ['[g]\nh[1:3\n', 'F:2:1: host range "h[1:3" has unbalanced brackets'],
    ['[g]\nh]1:3[\n', 'F:2:1: host range "h]1:3[" has unbalanced brackets'],
    ['[g]\nh[0:99999]\n', 'F:2:1: host range "h[0:99999]" expands to more than 10000 hosts'],
    ['[g]\nh[0:200][0:200]\n', 'F:2:1: host range "h[0:200][0:200]" expands to more than 10000 hosts'],
    ['[g]\nh1:\n', 'F:2:1: host pattern "h1:" ends in ":" without a port'],
    ['[g]\nh1:70000\n', 'F:2:1: host pattern "h1:70000": port 70000 is out of range 1..65535'],
    ['---\nall:\n', 'F:1:1: "---" starts a YAML document: name a YAML inventory .yml or .yaml'],
    ['[g]\n"h 1"\n', 'F:2:1: host name "h 1" is empty or contains whitespace or control characters'],
    ['[g]\nh1 ansible_port=ssh\n', 'F:2:4: ansible_port "ssh" of host "h1" is not usable: port "ssh" is not a number; expected a port number 1..65535'],
    ['[g]\nh1\n[g:vars]\nansible_port=0\n', 'F:4:1: ansible_port "0" of host "h1" is not usable: port 0 is out of range 1..65535; expected a port number 1..65535'],
    ['[g]\nh1 ansible_ssh_port=99999\n', 'F:2:4: ansible_ssh_port "99999" of host "h1" is not usable: port 99999 is out of range 1..65535; expected a port number 1..65535'],
    ['[g]\nh1 ansible_user="root user"\n', 'F:2:4: ansible_user "root user" of host "h1" is not usable: character " " is not allowed in a user name (letters, digits, ".", "-" and "_" only)'],
    ['[g]\nh1 ansible_host=10.0.0.300\n', 'F:2:4: ansible_host "10.0.0.300" of host "h1" is not usable: "10.0.0.300" is not a valid IPv4 address'],
    ['[g]\nweb!1\n', 'F:2:1: host name "web!1" is not an address to connect to (character "!" is not allowed in a host name (letters, digits, ".", "-" and "_" only)): give ansible_host=ADDRESS'],
    ['[master]\nh1\n[members]\nh1\n', 'F:4:1: host "h1" is in role groups "master" at line 2 and "members": a host has one role (groups master, members, quorum, management)'],
    [
      '[xen]\nh1\n[members:children]\nxen\n[quorum]\nh1\n',
      'F:6:1: host "h1" is in role groups "members" (through "xen") at line 2 and "quorum": a host has one role (groups master, members, quorum, management)',
    ],
    ['[master]\nh1\nh2\n', 'F:3:1: host "h2" is a second master (the first is "h1", line 2): a pool has exactly one master'],
    ['', 'F: no hosts in this inventory: expected hosts in groups such as master and members'],
    ['# only a comment\n[g]\n[g:vars]\na=1\n', 'F: no hosts in this inventory: expected hosts in groups such as master and members'],
  ])('%j', (text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  it('refuses a control character in a key file path written literally', () => {
    expect(errorOf('[g]\nh1 ansible_ssh_private_key_file=/k\u0001\n')).toBe(
      'F:2:4: ansible_ssh_private_key_file "/k\\u0001" of host "h1" is not usable: a file name cannot contain control characters',
    );
  });

  it('says when the file is missing or a directory', () => {
    const missing = join(dir, 'missing.ini');
    expect(inputError(() => loadInventory(missing))).toBe(`${missing}: no such file`);
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    expect(inputError(() => loadInventory(folder))).toBe(`${folder}: is a directory, expected an Ansible inventory file`);
  });

  it('never throws anything but an InputError on arbitrary text (property)', () => {
    const piece = fc.constantFrom(
      '[g]',
      '[g:vars]',
      '[g:children]',
      '[master]',
      '[members]',
      '[all:vars]',
      '[x:y]',
      '[',
      ']',
      'h1',
      'h2',
      'g',
      'h[1:3]',
      'h[a:c:2]',
      'h[01:1]',
      'a=b',
      '=',
      '"',
      "'",
      '\\',
      '#',
      ';',
      ':',
      '::1',
      ':22',
      ' ',
      '\t',
      '\n',
      '\r\n',
      'ansible_port=x',
      'ansible_port=22',
      'ansible_host=',
      'ansible_user=root',
      'ansible_group_priority=z',
      '---',
      '\u0000',
      '\u001b',
    );
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(piece, { maxLength: 40 }).map((p) => p.join('')));
    fc.assert(
      fc.property(text, (t) => {
        try {
          inventoryFromText('property.ini', t);
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
          expect(err.message).not.toContain('\n');
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('YAML inventories (synthetic)', () => {
  it('reads hosts, vars and children with the same rules as INI', () => {
    const hosts = loadInventory(
      file(
        [
          'all:',
          '  vars:',
          '    ansible_user: admin',
          '  hosts:',
          '    loose:',
          '  children:',
          '    pool:',
          '      vars: {ansible_user: root, ansible_port: 2222}',
          '      children:',
          '        master:',
          '          hosts:',
          '            xs1: {ansible_host: 10.0.0.11}',
          '        members:',
          '          hosts:',
          '            xs[2:3]:',
          '              ansible_ssh_private_key_file: /keys/pool',
          '            "[2001:db8::4]:2200":',
          '    quorum:',
          '      hosts:',
          '        q1:',
          '          ansible_port: 22',
          '          weight: 1.5',
          '          enabled: true',
          '          tags: [a, b]',
          '          nothing: null',
        ].join('\n'),
        '.yml',
      ),
    );
    expect(brief(hosts)).toEqual([
      { name: 'loose', host: 'loose', user: 'admin', port: undefined, identityFile: undefined, role: 'member' },
      { name: 'xs1', host: '10.0.0.11', user: 'root', port: 2222, identityFile: undefined, role: 'master' },
      { name: 'xs2', host: 'xs2', user: 'root', port: 2222, identityFile: '/keys/pool', role: 'member' },
      { name: 'xs3', host: 'xs3', user: 'root', port: 2222, identityFile: '/keys/pool', role: 'member' },
      { name: '2001:db8::4', host: '2001:db8::4', user: 'root', port: 2200, identityFile: undefined, role: 'member' },
      { name: 'q1', host: 'q1', user: 'admin', port: 22, identityFile: undefined, role: 'quorum' },
    ]);
    expect(hosts[5]!.vars).toEqual({ ansible_user: 'admin', ansible_port: '22', weight: '1.5', enabled: 'true', tags: '["a","b"]', nothing: '' });
  });

  it('tells YAML from INI by content when the file has no known extension', () => {
    expect(roles(loadInventory(file('# hosts\nall:\n  hosts:\n    h1:\n', '')))).toEqual(['h1=master']);
    expect(roles(loadInventory(file('# hosts\nh1:2222\nh2\n', '')))).toEqual(['h1=master', 'h2=member']);
    expect(roles(loadInventory(file('{"all": {"hosts": {"h1": null}}}', '.json')))).toEqual(['h1=master']);
    expect(roles(loadInventory(file('---\nall: {hosts: {h1: }}\n', '.cfg')))).toEqual(['h1=master']);
  });

  it.each([
    ['- h1\n- h2\n', 'F:1:1: expected a mapping of groups at the top (e.g. "all:"), got a list'],
    ['all: h1\n', 'F:1:6: group "all" must be a mapping with hosts, vars or children, got the string "h1"'],
    ['all:\n  host:\n    h1:\n', 'F:2:3: unknown key "host" in group "all": expected hosts, vars or children'],
    ['all:\n  hosts:\n    - h1\n', 'F:3:5: "hosts" of group "all" must be a mapping of host names (h1: or h1: {ansible_host: ...}), got a list'],
    ['all:\n  vars: [a]\n', 'F:2:9: "vars" of group "all" must be a mapping of variables, got a list'],
    ['all:\n  children: 3\n', 'F:2:13: "children" of group "all" must be a mapping of groups, got number 3'],
    ['all:\n  hosts:\n    h1: root\n', 'F:3:9: variables of host "h1" must be a mapping, got the string "root"'],
    ['all:\n  hosts:\n    h1:\n    h1:\n', 'F:3:8: duplicate key: a later block would silently replace the earlier one'],
    ['all:\n  hosts:\n    h[1:0]:\n', 'F:3:5: host range [1:0] in "h[1:0]" must have begin <= end'],
    ['all:\n  hosts:\n    h1: {ansible_port: 0}\n', 'F:3:24: ansible_port "0" of host "h1" is not usable: port 0 is out of range 1..65535; expected a port number 1..65535'],
    ['a:\n  children:\n    b:\n      children:\n        a:\n', 'F:5:9: group "a" cannot be a child of "b": "b" is already inside "a" (a loop)'],
    [
      'all:\n  children:\n    master:\n      hosts: {h1: }\n    members:\n      hosts: {h1: }\n',
      'F:6:15: host "h1" is in role groups "master" at line 4 and "members": a host has one role (groups master, members, quorum, management)',
    ],
    ['all:\n', 'F: no hosts in this inventory: expected hosts in groups such as master and members'],
    ['', 'F: no hosts in this inventory: expected hosts in groups such as master and members'],
  ])('%j', (text, message) => {
    expect(errorOf(text, '.yaml')).toBe(message);
  });
});
