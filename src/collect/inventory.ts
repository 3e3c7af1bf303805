import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { extname, join } from 'node:path';
import { InputError, locatedMessage } from '../engine/inputError.js';
import type { Role } from '../engine/types.js';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { parseYamlText, type YamlSource } from '../engine/yamlFile.js';
import { hostProblem, portProblem, userProblem } from './hostSpec.js';

/**
 * Ansible inventories (`--inventory FILE`), INI and YAML forms, read the way Ansible reads them:
 * groups, `children` nesting, group and host variables with Ansible's precedence, host ranges
 * (`xs[01:02].lab`, `db-[a:c]`), `host:port` patterns. Both forms are turned into the same
 * model (groups, hosts, variables with the line that set them), then resolved into the hosts to
 * scan and their pool roles:
 *
 * - groups `master`, `members`, `quorum` and `management` (directly or through `children`) give
 *   the roles master, member, quorum and management; a host in two of them is an error, and so is
 *   more than one master;
 * - hosts in none of them are members, except that when no host is in `master`, the first of them
 *   (in file order) is the master: the same rule as for repeated `--host`;
 * - every host of the inventory is scanned.
 *
 * Connection variables, after merging (`all` < parent groups < child groups < host, groups of one
 * depth by `ansible_group_priority` then name): `ansible_host`, `ansible_user`, `ansible_port`,
 * `ansible_ssh_private_key_file`, and their older spellings `ansible_ssh_host`, `ansible_ssh_user`,
 * `ansible_ssh_port`, `ansible_private_key_file`. When both spellings are set the `ansible_ssh_*`
 * one wins, as in Ansible's ssh connection plugin.
 */

export interface InventoryHost {
  /** the inventory host name (an alias when ansible_host is set) */
  name: string;
  /** address to connect to: ansible_host, or the name */
  host: string;
  user?: string;
  port?: number;
  /** ansible_ssh_private_key_file, with a leading ~/ expanded */
  identityFile?: string;
  role: Role;
  /** every variable of the host after Ansible's merge; structured values keep their source text */
  vars: Record<string, string>;
}

export function loadInventory(file: string): InventoryHost[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected an Ansible inventory file' : (err as Error).message;
    throw new InputError(`${file}: ${why}`);
  }
  return inventoryFromText(file, text);
}

/** The hosts of an inventory given as text; `file` names it in errors and decides the form by extension. */
export function inventoryFromText(file: string, text: string): InventoryHost[] {
  const body = text.replace(/^\uFEFF/, '');
  const model = looksLikeYaml(file, body) ? readYamlInventory(parseYamlText(file, body), body) : parseIniInventory(file, body);
  return resolveHosts(model);
}

/** .yml/.yaml/.json are YAML, .ini is INI; anything else is YAML when it starts like a YAML mapping. */
function looksLikeYaml(file: string, text: string): boolean {
  const ext = extname(file).toLowerCase();
  if (ext === '.yml' || ext === '.yaml' || ext === '.json') return true;
  if (ext === '.ini') return false;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    // "all:" or "all: {...}" is YAML; an INI host line "h1:2222" has no space after the colon.
    return line.startsWith('---') || line.startsWith('{') || /^[^\s[=#;]+:(\s|$)/.test(line);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// The model both forms build

interface Origin {
  line?: number;
  col?: number;
}

interface VarDef {
  value: string;
  at: Origin;
}

interface GroupDef {
  name: string;
  parents: string[];
  children: string[];
  vars: Map<string, VarDef>;
}

interface Membership {
  group: string;
  at: Origin;
}

interface HostDef {
  name: string;
  at: Origin;
  vars: Map<string, VarDef>;
  memberships: Membership[];
}

/** Groups and hosts as declared, before roles and variable precedence are worked out. */
class InventoryModel {
  readonly groups = new Map<string, GroupDef>();
  readonly hosts = new Map<string, HostDef>();

  constructor(readonly file: string) {
    this.group('all');
    this.group('ungrouped');
  }

  error(at: Origin, message: string): InputError {
    return new InputError(locatedMessage(this.file, at.line, at.col, message));
  }

  group(name: string): GroupDef {
    let g = this.groups.get(name);
    if (!g) {
      g = { name, parents: [], children: [], vars: new Map() };
      this.groups.set(name, g);
    }
    return g;
  }

  addChild(parent: string, child: string, at: Origin): void {
    if (child === 'all') throw this.error(at, `group "all" holds every group and cannot be a child of "${parent}"`);
    if (parent === child || this.isAncestor(child, parent)) {
      throw this.error(at, `group "${child}" cannot be a child of "${parent}": "${parent}" is already inside "${child}" (a loop)`);
    }
    const p = this.group(parent);
    const c = this.group(child);
    if (!p.children.includes(child)) p.children.push(child);
    if (!c.parents.includes(parent)) c.parents.push(parent);
  }

  /** True when `ancestor` is `group` or contains it through children. */
  isAncestor(ancestor: string, group: string): boolean {
    if (ancestor === group) return true;
    return (this.groups.get(group)?.parents ?? []).some((p) => this.isAncestor(ancestor, p));
  }

  addHost(name: string, group: string, at: Origin): HostDef {
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, at, vars: new Map(), memberships: [] };
      this.hosts.set(name, h);
    }
    this.group(group);
    if (group !== 'all') h.memberships.push({ group, at });
    return h;
  }
}

// ---------------------------------------------------------------------------------------------
// INI form. Ansible's INI is not standard INI: host lines are shell-quoted words, sections carry
// a ":vars"/":children" suffix, "#" starts a comment mid-line on host lines but not in :vars
// values, and values are Python literals. No INI library reads it, so this mirrors Ansible's own
// parser (plugins/inventory/ini.py) rule by rule.

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

interface Pending {
  kind: 'vars' | 'children';
  at: Origin;
  parent?: string;
}

function parseIniInventory(file: string, text: string): InventoryModel {
  const model = new InventoryModel(file);
  const declared = new Set(['all', 'ungrouped']);
  // Like Ansible, [g:vars] and children may come before [g] itself; unresolved ones fail at the end.
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state: 'hosts' | 'vars' | 'children' = 'hosts';

  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const col = raw.length - raw.trimStart().length + 1;
    const at: Origin = { line: lineNo, col };

    const section = SECTION.exec(line);
    if (section) {
      const name = section[1]!;
      const kind = section[2] ?? 'hosts';
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
        throw model.error(at, `unknown section type "${kind}" in [${name}:${kind}]: expected [${name}], [${name}:vars] or [${name}:children]`);
      }
      group = name;
      state = kind;
      model.group(name);
      if (kind === 'vars') {
        if (!declared.has(name) && !pending.has(name)) pending.set(name, { kind: 'vars', at });
      } else {
        declared.add(name);
        pending.delete(name);
      }
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      throw model.error(at, `invalid section header ${JSON.stringify(line)}: expected [group], [group:vars] or [group:children], with no spaces or ":" in the group name`);
    }

    if (state === 'hosts') {
      parseHostLine(model, group, raw, lineNo);
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      const key = eq < 0 ? '' : line.slice(0, eq).trim();
      if (key === '') throw model.error(at, `expected key=value in [${group}:vars], got ${JSON.stringify(line)}`);
      model.group(group).vars.set(key, { value: pythonLiteralText(line.slice(eq + 1).trim()), at });
    } else {
      const m = GROUP_NAME.exec(line);
      if (!m) throw model.error(at, `expected a group name in [${group}:children], got ${JSON.stringify(line)}`);
      const child = m[1]!;
      model.addChild(group, child, at);
      if (!declared.has(child) && !pending.has(child)) pending.set(child, { kind: 'children', at, parent: group });
    }
  });

  const [name, p] = [...pending.entries()].sort(([, a], [, b]) => (a.at.line ?? 0) - (b.at.line ?? 0))[0] ?? [];
  if (name !== undefined && p) {
    throw model.error(
      p.at,
      p.kind === 'vars'
        ? `[${name}:vars] is for a group that is never declared: add a [${name}] or [${name}:children] section`
        : `[${p.parent}:children] names group "${name}", which is never declared: add a [${name}] or [${name}:children] section`,
    );
  }
  return model;
}

function parseHostLine(model: InventoryModel, group: string, raw: string, lineNo: number): void {
  const words = shellWords(raw, (col, why) => model.error({ line: lineNo, col }, `cannot read this host line: ${why}`));
  const [pattern, ...assignments] = words;
  if (!pattern) return; // only a comment after leading whitespace
  const patternAt = { line: lineNo, col: pattern.col };
  const { names, port } = expandHostPattern(pattern.text, (why) => model.error(patternAt, why));
  const vars: [string, VarDef][] = assignments.map((w) => {
    const eq = w.text.indexOf('=');
    if (eq <= 0) throw model.error({ line: lineNo, col: w.col }, `expected key=value after the host name, got ${JSON.stringify(w.text)}`);
    return [w.text.slice(0, eq), { value: pythonLiteralText(w.text.slice(eq + 1)), at: { line: lineNo, col: w.col } }];
  });
  for (const name of names) {
    const host = model.addHost(name, group, patternAt);
    if (port !== undefined) host.vars.set('ansible_port', { value: String(port), at: patternAt });
    for (const [k, v] of vars) host.vars.set(k, v);
  }
}

interface Word {
  text: string;
  col: number;
}

/**
 * Splits a host line as Python's shlex.split(line, comments=True) does: whitespace separates
 * words, '...' is literal, "..." honours \" and \\, a backslash outside quotes escapes the next
 * character, and an unquoted "#" ends the line (even inside a word).
 */
function shellWords(line: string, fail: (col: number, why: string) => InputError): Word[] {
  const words: Word[] = [];
  let current = '';
  let inWord = false;
  let start = 0;
  let quote: "'" | '"' | undefined;
  let quoteCol = 0;
  const flush = () => {
    if (inWord) words.push({ text: current, col: start + 1 });
    current = '';
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else current += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) current += line[++i]!;
      else current += c;
    } else if (c === ' ' || c === '\t') {
      flush();
    } else if (c === '#') {
      break;
    } else {
      if (!inWord) {
        inWord = true;
        start = i;
      }
      if (c === "'" || c === '"') {
        quote = c;
        quoteCol = i + 1;
      } else if (c === '\\') {
        if (i + 1 >= line.length) throw fail(i + 1, 'a backslash at the end of the line escapes nothing');
        current += line[++i]!;
      } else {
        current += c;
      }
    }
  }
  if (quote) throw fail(quoteCol, `the quote ${quote} is never closed`);
  flush();
  return words;
}

/**
 * The text of an INI value as Ansible sees it after ast.literal_eval: a quoted Python string
 * loses its quotes (and a comment after it), a number, True, False or None loses a trailing
 * comment, anything else (names, templates, lists, dicts) stays as written.
 */
function pythonLiteralText(value: string): string {
  const quoted = /^(['"])((?:\\.|(?!\1)[^\\])*)\1\s*(?:#.*)?$/s.exec(value);
  if (quoted) return unescapePython(quoted[2]!);
  const commented = /^(.*?)\s*#.*$/s.exec(value);
  if (commented && /^(?:[-+]?\d+(?:\.\d+)?|True|False|None)$/.test(commented[1]!)) return commented[1]!;
  return value;
}

function unescapePython(s: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
  return s.replace(/\\(.)/gs, (whole, c: string) => simple[c] ?? whole);
}

// ---------------------------------------------------------------------------------------------
// Host patterns: "name", "name:port", "[v6]:port", and ranges "xs[01:02].lab", "db-[a:c]",
// "h[1:9:2]", expanded as Ansible's expand_hostname_range does.

const MAX_EXPANDED_HOSTS = 10_000;
const ASCII_LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function expandHostPattern(pattern: string, fail: (why: string) => InputError): { names: string[]; port?: number } {
  let base = pattern;
  let portText: string | undefined;
  const bracketed = /^\[(.+)\]:([0-9]+)$/.exec(pattern);
  const plain = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/.exec(pattern);
  const m = bracketed ?? plain;
  if (m) {
    base = m[1]!;
    portText = m[2]!;
  } else if (pattern.endsWith(':') && !pattern.endsWith('::')) {
    throw fail(`host pattern ${JSON.stringify(pattern)} ends in ":" without a port`);
  }
  let port: number | undefined;
  if (portText !== undefined) {
    const problem = portProblem(portText);
    if (problem) throw fail(`host pattern ${JSON.stringify(pattern)}: ${problem}`);
    port = Number(portText);
  }
  const names = base.includes('[') || base.includes(']') ? expandRanges(base, fail) : [base];
  for (const name of names) {
    if (name.trim() === '---') throw fail('"---" starts a YAML document: name a YAML inventory .yml or .yaml');
    if (name === '' || /[\s\x00-\x1f\x7f]/.test(name)) throw fail(`host name ${JSON.stringify(name)} is empty or contains whitespace or control characters`);
  }
  return port === undefined ? { names } : { names, port };
}

function expandRanges(pattern: string, fail: (why: string) => InputError): string[] {
  const out: string[] = [];
  const expand = (p: string): void => {
    const open = p.indexOf('[');
    const close = p.indexOf(']');
    if (open < 0 && close < 0) {
      out.push(p);
      if (out.length > MAX_EXPANDED_HOSTS) throw fail(`host range ${JSON.stringify(pattern)} expands to more than ${MAX_EXPANDED_HOSTS} hosts`);
      return;
    }
    if (open < 0 || close < open) throw fail(`host range ${JSON.stringify(pattern)} has unbalanced brackets`);
    const head = p.slice(0, open);
    const body = p.slice(open + 1, close);
    const tail = p.slice(close + 1);
    const shown = `[${body}]`;
    const bounds = body.split(':');
    if (bounds.length !== 2 && bounds.length !== 3) throw fail(`host range ${shown} in ${JSON.stringify(pattern)} must be [begin:end] or [begin:end:step]`);
    const beg = bounds[0] === '' ? '0' : bounds[0]!;
    const end = bounds[1]!;
    if (end === '') throw fail(`host range ${shown} in ${JSON.stringify(pattern)} has no end`);
    const stepText = bounds[2] ?? '1';
    if (!/^[0-9]+$/.test(stepText) || Number(stepText) < 1) throw fail(`host range ${shown} in ${JSON.stringify(pattern)}: the step must be a whole number of at least 1`);
    const step = Number(stepText);

    let items: string[];
    const ib = beg.length === 1 ? ASCII_LETTERS.indexOf(beg) : -1;
    const ie = end.length === 1 ? ASCII_LETTERS.indexOf(end) : -1;
    if (ib >= 0 && ie >= 0) {
      if (ib > ie) throw fail(`host range ${shown} in ${JSON.stringify(pattern)} must have begin <= end`);
      items = [];
      for (let i = ib; i <= ie; i += step) items.push(ASCII_LETTERS[i]!);
    } else {
      if (!/^[0-9]+$/.test(beg) || !/^[0-9]+$/.test(end)) throw fail(`host range ${shown} in ${JSON.stringify(pattern)} must be numbers or single letters`);
      // A leading zero asks for fixed width (01..10), and then both ends must have that width.
      const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
      if (width && end.length !== width) throw fail(`host range ${shown} in ${JSON.stringify(pattern)} must have begin and end of equal length when zero-padded`);
      const b = Number(beg);
      const e = Number(end);
      if (b > e) throw fail(`host range ${shown} in ${JSON.stringify(pattern)} must have begin <= end`);
      if ((e - b) / step >= MAX_EXPANDED_HOSTS) throw fail(`host range ${JSON.stringify(pattern)} expands to more than ${MAX_EXPANDED_HOSTS} hosts`);
      items = [];
      for (let i = b; i <= e; i += step) items.push(String(i).padStart(width, '0'));
    }
    for (const item of items) expand(head + item + tail);
  };
  expand(pattern);
  return out;
}

// ---------------------------------------------------------------------------------------------
// YAML form: a mapping of groups; each group may have hosts (a mapping of host patterns to
// variables), vars, and children (a mapping of groups), as Ansible's yaml inventory plugin reads.

const GROUP_KEYS = ['hosts', 'vars', 'children'];

function readYamlInventory(src: YamlSource, text: string): InventoryModel {
  const model = new InventoryModel(src.file);
  // Errors about a value point at the value; errors about a name (group, host, key) at the name.
  const at = (path: readonly PropertyKey[]): Origin => src.positionOf(path) ?? {};
  const keyPosition = keyLocator(text);
  const keyAt = (path: readonly string[]): Origin => keyPosition(path) ?? at(path);
  const data = src.data;
  if (data === null || data === undefined) return model;
  if (!isMapping(data)) throw model.error(at([]), `expected a mapping of groups at the top (e.g. "all:"), got ${describe(data)}`);

  const readGroup = (name: string, body: unknown, path: string[], parent?: string): void => {
    model.group(name);
    if (parent !== undefined) model.addChild(parent, name, keyAt(path));
    if (body === null || body === undefined) return;
    if (!isMapping(body)) throw model.error(at(path), `group "${name}" must be a mapping with hosts, vars or children, got ${describe(body)}`);
    for (const [key, value] of Object.entries(body)) {
      const here = [...path, key];
      if (!GROUP_KEYS.includes(key)) throw model.error(keyAt(here), `unknown key "${key}" in group "${name}": expected hosts, vars or children`);
      if (value === null || value === undefined) continue;
      if (!isMapping(value)) {
        const shape = key === 'hosts' ? 'host names (h1: or h1: {ansible_host: ...})' : key === 'vars' ? 'variables' : 'groups';
        throw model.error(at(here), `"${key}" of group "${name}" must be a mapping of ${shape}, got ${describe(value)}`);
      }
      if (key === 'vars') {
        for (const [k, v] of Object.entries(value)) model.group(name).vars.set(k, { value: varText(v), at: at([...here, k]) });
      } else if (key === 'children') {
        for (const [child, childBody] of Object.entries(value)) readGroup(child, childBody, [...here, child], name);
      } else {
        for (const [pattern, hostVars] of Object.entries(value)) {
          const hostAt = keyAt([...here, pattern]);
          const { names, port } = expandHostPattern(pattern, (why) => model.error(hostAt, why));
          if (hostVars !== null && hostVars !== undefined && !isMapping(hostVars)) {
            throw model.error(at([...here, pattern]), `variables of host "${pattern}" must be a mapping, got ${describe(hostVars)}`);
          }
          for (const hostName of names) {
            const host = model.addHost(hostName, name, hostAt);
            if (port !== undefined) host.vars.set('ansible_port', { value: String(port), at: hostAt });
            for (const [k, v] of Object.entries(hostVars ?? {})) host.vars.set(k, { value: varText(v), at: at([...here, pattern, k]) });
          }
        }
      }
    }
  };
  for (const [name, body] of Object.entries(data)) readGroup(name, body, [name]);
  return model;
}

/** Where the key at the end of `path` is written (the yaml package's values know only their own place). */
function keyLocator(text: string): (path: readonly string[]) => Origin | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, schema: 'core' });
  return (path) => {
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    if (!isMap(parent)) return undefined;
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === path[path.length - 1]);
    const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
    return range ? lines.linePos(range[0]) : undefined;
  };
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** Variables are kept as text: scalars as written, null as empty, structures as JSON. */
function varText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

// ---------------------------------------------------------------------------------------------
// Resolution: variable precedence, connection settings, roles.

const ROLE_GROUPS: Record<string, Role> = { master: 'master', members: 'member', quorum: 'quorum', management: 'management' };

function resolveHosts(model: InventoryModel): InventoryHost[] {
  if (model.hosts.size === 0) {
    throw new InputError(`${model.file}: no hosts in this inventory: expected hosts in groups such as master and members`);
  }
  // Ansible hangs every group without a parent under "all".
  for (const g of model.groups.values()) {
    if (g.name !== 'all' && g.parents.length === 0) model.addChild('all', g.name, {});
  }
  const depths = new Map<string, number>();
  const depth = (name: string): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    const parents = model.groups.get(name)?.parents ?? [];
    const d = parents.length === 0 ? 0 : Math.max(...parents.map((p) => depth(p) + 1));
    depths.set(name, d);
    return d;
  };
  const ancestors = (name: string, into = new Set<string>()): Set<string> => {
    if (!into.has(name)) {
      into.add(name);
      for (const p of model.groups.get(name)?.parents ?? []) ancestors(p, into);
    }
    return into;
  };

  const resolved = [...model.hosts.values()].map((h) => {
    const groups = new Set<string>(['all']);
    for (const m of h.memberships) ancestors(m.group, groups);
    if (groups.size === 1) groups.add('ungrouped');
    const vars = mergeVars(model, [...groups], h, depth);
    return { def: h, vars, role: roleOf(model, h, ancestors) };
  });

  const masters = resolved.filter((r) => r.role?.role === 'master');
  if (masters.length > 1) {
    const [first, second] = masters as [(typeof masters)[0], (typeof masters)[0]];
    throw model.error(
      second.role!.at,
      `host "${second.def.name}" is a second master (the first is "${first.def.name}", line ${first.role!.at.line ?? '?'}): a pool has exactly one master`,
    );
  }
  let needMaster = masters.length === 0;
  return resolved.map(({ def, vars, role }): InventoryHost => {
    let r: Role;
    if (role) r = role.role;
    else if (needMaster) {
      r = 'master';
      needMaster = false;
    } else r = 'member';
    return { name: def.name, ...connection(model, def, vars), role: r, vars: Object.fromEntries([...vars].map(([k, v]) => [k, v.value])) };
  });
}

function mergeVars(model: InventoryModel, groups: string[], host: HostDef, depth: (g: string) => number): Map<string, VarDef> {
  const priority = (g: string) => {
    const p = Number(model.groups.get(g)?.vars.get('ansible_group_priority')?.value ?? 1);
    return Number.isFinite(p) ? p : 1;
  };
  const ordered = [...groups].sort((a, b) => depth(a) - depth(b) || priority(a) - priority(b) || (a < b ? -1 : a > b ? 1 : 0));
  const merged = new Map<string, VarDef>();
  for (const g of ordered) for (const [k, v] of model.groups.get(g)?.vars ?? []) merged.set(k, v);
  for (const [k, v] of host.vars) merged.set(k, v);
  return merged;
}

interface RoleSource {
  role: Role;
  at: Origin;
}

/** The role a host's groups give it (or undefined); two different role groups is an error. */
function roleOf(model: InventoryModel, host: HostDef, ancestors: (g: string) => Set<string>): RoleSource | undefined {
  const found = new Map<string, { via: string; at: Origin }>();
  for (const m of host.memberships) {
    for (const g of ancestors(m.group)) {
      if (ROLE_GROUPS[g] && !found.has(g)) found.set(g, { via: m.group, at: m.at });
    }
  }
  const entries = [...found.entries()].sort(([, a], [, b]) => (a.at.line ?? 0) - (b.at.line ?? 0));
  if (entries.length > 1) {
    const [[g1, first], [g2, second]] = entries as [[string, { via: string; at: Origin }], [string, { via: string; at: Origin }]];
    const how = (g: string, x: { via: string; at: Origin }) => `"${g}"${x.via !== g ? ` (through "${x.via}")` : ''}`;
    throw model.error(
      second.at,
      `host "${host.name}" is in role groups ${how(g1, first)} at line ${first.at.line ?? '?'} and ${how(g2, second)}: a host has one role (groups master, members, quorum, management)`,
    );
  }
  const only = entries[0];
  return only ? { role: ROLE_GROUPS[only[0]]!, at: only[1].at } : undefined;
}

function connection(model: InventoryModel, def: HostDef, vars: Map<string, VarDef>): Pick<InventoryHost, 'host' | 'user' | 'port' | 'identityFile'> {
  // The ssh plugin takes the last defined of its variable list, so ansible_ssh_* beats ansible_*.
  const pick = (...names: string[]): [string, VarDef] | undefined => {
    for (const n of names) {
      const v = vars.get(n);
      if (v && v.value !== '') return [n, v];
    }
    return undefined;
  };
  const refuse = (name: string, v: VarDef, problem: string) =>
    model.error(v.at, `${name} ${JSON.stringify(v.value)} of host "${def.name}" is not usable: ${problem}`);

  const out: Pick<InventoryHost, 'host' | 'user' | 'port' | 'identityFile'> = { host: def.name };
  const address = pick('ansible_ssh_host', 'ansible_host');
  if (address) {
    const problem = hostProblem(address[1].value);
    if (problem) throw refuse(address[0], address[1], problem);
    out.host = address[1].value;
  } else {
    const problem = hostProblem(def.name);
    if (problem) throw model.error(def.at, `host name "${def.name}" is not an address to connect to (${problem}): give ansible_host=ADDRESS`);
  }
  const user = pick('ansible_ssh_user', 'ansible_user');
  if (user) {
    const problem = userProblem(user[1].value);
    if (problem) throw refuse(user[0], user[1], problem);
    out.user = user[1].value;
  }
  const port = pick('ansible_ssh_port', 'ansible_port');
  if (port) {
    const problem = portProblem(port[1].value);
    if (problem) throw refuse(port[0], port[1], `${problem}; expected a port number 1..65535`);
    out.port = Number(port[1].value);
  }
  const key = pick('ansible_ssh_private_key_file', 'ansible_private_key_file');
  if (key) {
    if (/[\x00-\x1f\x7f]/.test(key[1].value)) throw refuse(key[0], key[1], 'a file name cannot contain control characters');
    out.identityFile = key[1].value === '~' ? homedir() : key[1].value.startsWith('~/') ? join(homedir(), key[1].value.slice(2)) : key[1].value;
  }
  return out;
}
