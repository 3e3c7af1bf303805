import { stringify } from 'yaml';
import { z } from 'zod';
import { checkByName } from '../checks/index.js';
import { probeById } from '../collect/probes.js';
import { HostFacts } from '../facts/schema.js';
import { ProfileFile, SiteFile, type LoadedProfile } from '../engine/loadRules.js';
import { WaiverFile } from '../engine/waivers.js';
import { Report } from '../report/schema.js';
import { Manifest as BundleManifest } from '../bundle/manifest.js';

/**
 * Generated documentation and schemas. `npm run generate` writes them; a test fails when a file
 * in the repository differs from what this module produces, so docs cannot drift from code.
 */

export interface GeneratedFile {
  path: string;
  content: string;
}

const json = (schema: z.ZodType, id: string, title: string) =>
  JSON.stringify({ $id: id, title, ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }) }, null, 2) + '\n';

export function generatedFiles(profile: LoadedProfile): GeneratedFile[] {
  return [
    { path: 'schema/report.schema.json', content: json(Report, 'https://preflight.invalid/schema/report.schema.json', 'preflight JSON report') },
    { path: 'schema/facts.schema.json', content: json(HostFacts, 'https://preflight.invalid/schema/facts.schema.json', 'preflight host facts') },
    { path: 'rules/schema.json', content: json(ProfileFile, 'https://preflight.invalid/rules/schema.json', 'preflight rule profile') },
    { path: 'rules/site.schema.json', content: json(SiteFile, 'https://preflight.invalid/rules/site.schema.json', 'preflight site rules file (--rules)') },
    { path: 'rules/waivers.schema.json', content: json(WaiverFile, 'https://preflight.invalid/rules/waivers.schema.json', 'preflight waivers file (--waivers)') },
    { path: 'schema/bundle-manifest.schema.json', content: json(BundleManifest, 'https://preflight.invalid/schema/bundle-manifest.schema.json', 'preflight support bundle manifest (manifest.json)') },
    { path: 'docs/rules.md', content: rulesMarkdown(profile) },
  ];
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function rulesMarkdown(profile: LoadedProfile): string {
  const out: string[] = [
    `# Rules of the \`${profile.name}\` profile`,
    '',
    `<!-- Generated from rules/${profile.name}.yaml by \`npm run generate\`; do not edit by hand. -->`,
    '',
    `${profile.title}. Every rule cites the ${profile.guide}. Rule ids are a public contract: use them in`,
    'waiver files, site rules files and `--skip`. `severity` is the status a rule gives when its requirement',
    'is not met; a missed recommendation is always a warning. See `preflight rules explain ID`.',
    '',
    '| Rule | Severity | Roles | Title |',
    '|---|---|---|---|',
    ...profile.rules.map((r) => `| [\`${r.id}\`](#${r.id.replace(/\./g, '')}) | ${r.severity} | ${r.roles.join(', ')} | ${cell(r.title)} |`),
    '',
  ];
  for (const r of profile.rules) {
    const check = checkByName(r.check);
    out.push(
      `## ${r.id}`,
      '',
      `**${r.title}**`,
      '',
      `- Severity: \`${r.severity}\``,
      `- Roles: ${r.roles.join(', ')}`,
      `- Check: \`${r.check}\`${check ? ` — ${check.description}` : ''}`,
      `- Guide: ${r.reference}`,
      '',
    );
    if (r.description) out.push(r.description.trim(), '');
    out.push('Parameters:', '', '```yaml', Object.keys(r.params).length ? stringify(r.params).trimEnd() : '{}', '```', '');
    out.push('Remediation:', '', r.remediation.trim(), '');
    const probes = (check?.probes ?? []).flatMap((id) => {
      const p = probeById(id);
      return p ? [`- \`${id}\`: ${p.description} — by hand: \`${p.manual.split('\n')[0]}\``] : [];
    });
    if (probes.length) out.push('Evidence read:', '', ...probes, '');
  }
  return out.join('\n');
}
