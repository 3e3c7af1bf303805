import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { checkByName } from '../checks/index.js';
import type { Check } from '../checks/types.js';
import { TOOL_VERSION } from '../version.js';
import { InputError } from './inputError.js';
import { Role, Severity, type ResolvedRule } from './types.js';
import { located, readYamlFile, validateWith, type YamlSource } from './yamlFile.js';

/**
 * Rule files. A profile (`rules/<name>.yaml`) defines every rule; a site file (`--rules FILE`)
 * layers over it without editing ours: change a threshold or severity, disable a rule, or add a
 * rule that reuses a check with other parameters. Both are validated against the schemas below,
 * which also generate `rules/schema.json` for editors.
 */

const RuleId = z
  .string()
  .regex(/^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/, 'a rule id is lower-case words joined by dots, e.g. "memory.total"');

export const ProfileRule = z
  .object({
    id: RuleId,
    title: z.string().min(1),
    check: z.string().min(1).describe('name of a registered check (preflight rules checks lists them)'),
    severity: Severity.describe('status given when the requirement is not met; recommendation misses are always warn'),
    roles: z.array(Role).min(1),
    params: z.record(z.string(), z.unknown()).describe("the check's parameters (thresholds, ports, NIC layout)"),
    reference: z.string().min(1).describe('where the guide asks for it: chapter, table, section, page'),
    description: z.string().min(1).describe('why the guide asks for it'),
    remediation: z.string().min(1).describe('what the operator does to fix it'),
  })
  .strict();

export const ProfileFile = z
  .object({
    profile: z.string().min(1),
    title: z.string().min(1),
    guide: z.string().min(1),
    rules: z.array(ProfileRule).min(1),
  })
  .strict();

export const SiteRule = z
  .object({
    id: RuleId,
    extends: RuleId.optional().describe('copy every field of this rule, then apply the ones given here'),
    enabled: z.boolean().optional().describe('false removes the rule from every scan using this file'),
    title: z.string().min(1).optional(),
    check: z.string().min(1).optional(),
    severity: Severity.optional(),
    roles: z.array(Role).min(1).optional(),
    params: z.record(z.string(), z.unknown()).optional().describe('merged key by key over the profile rule'),
    reference: z.string().min(1).optional(),
    description: z.string().min(1).optional(),
    remediation: z.string().min(1).optional(),
  })
  .strict();

export const SiteFile = z.object({ rules: z.array(SiteRule).min(1) }).strict();

export interface LoadedProfile {
  name: string;
  title: string;
  guide: string;
  file: string;
  rules: ResolvedRule[];
}

const RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

/** A profile by name (`everrun-6.0`, looked up in the bundled rules folder) or by path. */
export function resolveProfilePath(nameOrPath: string): string {
  if (nameOrPath.endsWith('.yaml') || nameOrPath.endsWith('.yml') || nameOrPath.includes('/')) return nameOrPath;
  const bundled = `${RULES_DIR}${nameOrPath}.yaml`;
  if (!existsSync(bundled)) throw new InputError(`unknown profile "${nameOrPath}": expected a name of a file in ${RULES_DIR} or a path to a .yaml file`);
  return bundled;
}

/**
 * A profile by name or path. A bundled profile is read from its build-time JSON (see
 * compiledProfile) when that was compiled from exactly this YAML: parsing and validating the YAML
 * costs tens of milliseconds on every run, JSON.parse well under one.
 */
export function loadProfile(nameOrPath: string): LoadedProfile {
  const file = resolveProfilePath(nameOrPath);
  if (file.startsWith(RULES_DIR)) {
    const compiled = compiledProfile(file);
    if (compiled) return compiled;
  }
  return loadProfileYaml(file);
}

/** The profile read and validated from its YAML, with file:line:col errors. */
export function loadProfileYaml(nameOrPath: string): LoadedProfile {
  const file = resolveProfilePath(nameOrPath);
  const src = readYamlFile(file);
  const data = validateWith(src, ProfileFile);
  const seen = new Map<string, number>();
  const rules = data.rules.map((r, i): ResolvedRule => {
    if (seen.has(r.id)) throw new InputError(located(src, ['rules', i, 'id'], `duplicate rule id "${r.id}" (first defined at rules[${seen.get(r.id)}])`));
    seen.set(r.id, i);
    const check = requireCheck(src, ['rules', i, 'check'], r.check);
    const params = validateParams(src, ['rules', i, 'params'], check, r.params);
    return { ...r, params, scope: check.scope, origin: `${file} rules[${i}]` };
  });
  return { name: data.profile, title: data.title, guide: data.guide, file, rules };
}

/** Where `npm run build` writes the compiled bundled profiles (dist/rules/NAME.json). */
const COMPILED_DIR = fileURLToPath(new URL('../rules/', import.meta.url));

interface CompiledProfile {
  sourceSha256: string;
  toolVersion: string;
  name: string;
  title: string;
  guide: string;
  rules: Omit<ResolvedRule, 'origin'>[];
}

/** What scripts/compile-profiles.mjs writes for a bundled profile: the resolved rules and the YAML's hash. */
export function compileProfile(file: string): CompiledProfile {
  const p = loadProfileYaml(file);
  return {
    sourceSha256: sha256(readFileSync(file)),
    toolVersion: TOOL_VERSION,
    name: p.name,
    title: p.title,
    guide: p.guide,
    rules: p.rules.map(({ origin: _origin, ...r }) => r),
  };
}

export function compiledProfilePath(file: string): string {
  return join(COMPILED_DIR, `${basename(file, '.yaml')}.json`);
}

/** The compiled profile, only when it was made from this very YAML by this version; else undefined. */
function compiledProfile(file: string): LoadedProfile | undefined {
  let compiled: CompiledProfile;
  try {
    compiled = JSON.parse(readFileSync(compiledProfilePath(file), 'utf8')) as CompiledProfile;
  } catch {
    return undefined;
  }
  if (compiled.toolVersion !== TOOL_VERSION || compiled.sourceSha256 !== sha256(readFileSync(file))) return undefined;
  const rules = compiled.rules.map((r, i): ResolvedRule => ({ ...r, origin: `${file} rules[${i}]` }));
  return { name: compiled.name, title: compiled.title, guide: compiled.guide, file, rules };
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Applies a site file over the profile's rules and returns the new list (the input is not changed). */
export function applySiteFile(rules: readonly ResolvedRule[], file: string): ResolvedRule[] {
  const src = readYamlFile(file);
  const data = validateWith(src, SiteFile);
  const out = new Map(rules.map((r) => [r.id, { ...r }]));
  const seen = new Map<string, number>();
  data.rules.forEach((s, i) => {
    const at = (...p: PropertyKey[]) => ['rules', i, ...p];
    if (seen.has(s.id)) throw new InputError(located(src, at('id'), `duplicate rule id "${s.id}" (first given at rules[${seen.get(s.id)}])`));
    seen.set(s.id, i);
    const existing = out.get(s.id);
    if (s.enabled === false) {
      if (!existing) throw new InputError(located(src, at('id'), `cannot disable unknown rule "${s.id}"`));
      out.delete(s.id);
      return;
    }
    let base: ResolvedRule | undefined = existing;
    if (s.extends !== undefined) {
      if (existing) throw new InputError(located(src, at('extends'), `"extends" is for new rules; "${s.id}" already exists (override its fields directly)`));
      base = out.get(s.extends) ?? rules.find((r) => r.id === s.extends);
      if (!base) throw new InputError(located(src, at('extends'), `unknown rule "${s.extends}" to extend`));
    }
    if (!base) {
      // A brand-new rule must say everything a finding needs.
      for (const key of ['check', 'title', 'remediation'] as const) {
        if (s[key] === undefined) throw new InputError(located(src, at('id'), `new rule "${s.id}" needs "${key}" (or "extends: RULE" to copy an existing rule)`));
      }
    }
    const checkName = s.check ?? base!.check;
    const check = requireCheck(src, at(s.check !== undefined ? 'check' : 'id'), checkName);
    const mergedParams = s.check !== undefined && base && s.check !== base.check ? { ...(s.params ?? {}) } : { ...(base?.params ?? {}), ...(s.params ?? {}) };
    const params = validateParams(src, at('params'), check, mergedParams);
    out.set(s.id, {
      id: s.id,
      title: s.title ?? base?.title ?? '',
      check: checkName,
      severity: s.severity ?? base?.severity ?? 'fail',
      roles: s.roles ?? base?.roles ?? ['master', 'member'],
      scope: check.scope,
      params,
      reference: s.reference ?? base?.reference ?? `Site rules (${file})`,
      remediation: s.remediation ?? base?.remediation ?? '',
      ...(s.description ?? base?.description ? { description: s.description ?? base?.description } : {}),
      origin: `${file} rules[${i}]`,
    });
  });
  return [...out.values()];
}

function requireCheck(src: YamlSource, path: PropertyKey[], name: string): Check {
  const check = checkByName(name);
  if (!check) throw new InputError(located(src, path, `unknown check "${name}" (run "preflight rules checks" to list them)`));
  return check;
}

function validateParams(src: YamlSource, path: PropertyKey[], check: Check, params: unknown): Record<string, unknown> {
  return validateWith(src, check.params as z.ZodType<Record<string, unknown>>, params, path);
}
