import { stringify } from 'yaml';
import { z } from 'zod';
import { CHECKS, checkByName } from '../checks/index.js';
import { probeById } from '../collect/probes.js';
import { EXIT } from '../engine/evaluate.js';
import { InputError } from '../engine/inputError.js';
import { applySiteFile, loadProfile } from '../engine/loadRules.js';
import type { ResolvedRule } from '../engine/types.js';

interface RulesOptions {
  profile: string;
  rules?: string;
}

function effectiveRules(opts: RulesOptions): { profileName: string; rules: ResolvedRule[] } {
  const profile = loadProfile(opts.profile);
  return { profileName: profile.name, rules: opts.rules ? applySiteFile(profile.rules, opts.rules) : profile.rules };
}

export function rulesListCommand(opts: RulesOptions): number {
  const { profileName, rules } = effectiveRules(opts);
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const roleWidth = Math.max(...rules.map((r) => r.roles.join(',').length));
  const lines = [`profile ${profileName}: ${rules.length} rules`, ''];
  lines.push(`${'RULE'.padEnd(idWidth)}  SEVERITY  ${'ROLES'.padEnd(roleWidth)}  TITLE`);
  for (const r of rules) lines.push(`${r.id.padEnd(idWidth)}  ${r.severity.padEnd(8)}  ${r.roles.join(',').padEnd(roleWidth)}  ${r.title}`);
  process.stdout.write(lines.join('\n') + '\n');
  return EXIT.ok;
}

export function rulesExplainCommand(id: string, opts: RulesOptions): number {
  const { rules } = effectiveRules(opts);
  const rule = rules.find((r) => r.id === id);
  if (!rule) {
    const near = rules.filter((r) => r.id.startsWith(id.split('.')[0] ?? '')).map((r) => r.id);
    throw new InputError(`unknown rule "${id}"${near.length ? ` (did you mean: ${near.join(', ')}?)` : ' (preflight rules list shows the ids)'}`);
  }
  const check = checkByName(rule.check);
  const indent = (s: string) => s.trimEnd().split('\n').map((l) => `  ${l}`).join('\n');
  const probes = (check?.probes ?? []).map((p) => probeById(p)).filter((p) => p !== undefined);
  const out = [
    `${rule.id} — ${rule.title}`,
    '',
    `severity:   ${rule.severity} (status when the requirement is not met; a missed recommendation is a warning)`,
    `roles:      ${rule.roles.join(', ')}`,
    `check:      ${rule.check}${check ? ` — ${check.description}` : ''}`,
    `defined in: ${rule.origin}`,
    '',
    'thresholds and parameters:',
    indent(Object.keys(rule.params).length ? stringify(rule.params) : '(none)'),
    '',
    'guide reference:',
    indent(rule.reference),
    ...(rule.description ? ['', 'why:', indent(wrap(rule.description))] : []),
    '',
    'remediation:',
    indent(wrap(rule.remediation)),
    '',
    'evidence read (run by hand to see the same thing):',
    ...probes.map((p) => `  ${p.id.padEnd(24)} ${p.manual.split('\n')[0]}`),
  ];
  process.stdout.write(out.join('\n') + '\n');
  return EXIT.ok;
}

export function rulesChecksCommand(): number {
  const out: string[] = [];
  for (const [name, check] of Object.entries(CHECKS)) {
    out.push(`${name} (${check.scope}) — ${check.description}`);
    const schema = z.toJSONSchema(check.params, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { type?: string; description?: string }> };
    for (const [key, prop] of Object.entries(schema.properties ?? {})) out.push(`  ${key}: ${prop.type ?? 'value'}${prop.description ? ` — ${prop.description}` : ''}`);
  }
  process.stdout.write(out.join('\n') + '\n');
  return EXIT.ok;
}

function wrap(text: string, width = 96): string {
  return text
    .split('\n')
    .map((para) => {
      const words = para.split(/\s+/).filter(Boolean);
      const lines: string[] = [];
      let line = '';
      for (const w of words) {
        if (line && line.length + 1 + w.length > width) {
          lines.push(line);
          line = w;
        } else line = line ? `${line} ${w}` : w;
      }
      if (line) lines.push(line);
      return lines.join('\n');
    })
    .join('\n');
}
