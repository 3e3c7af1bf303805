import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { InputError, locatedMessage } from './inputError.js';

/** A parsed YAML file that can point any value back to its line and column. */
export interface YamlSource {
  file: string;
  data: unknown;
  /** Position of the value at `path` (or of its nearest existing parent). */
  positionOf(path: readonly PropertyKey[]): { line: number; col: number } | undefined;
}

/**
 * Reads YAML strictly: syntax errors, duplicate keys (which would silently replace an earlier
 * block, as goss warns) and non-YAML-1.2 surprises become one-line InputErrors with file:line:col.
 */
export function readYamlFile(file: string): YamlSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a YAML file' : (err as Error).message;
    throw new InputError(`${file}: ${why}`);
  }
  return parseYamlText(file, text);
}

export function parseYamlText(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, schema: 'core' });
  const first = doc.errors[0];
  if (first) {
    const pos = first.pos ? lineCounter.linePos(first.pos[0]) : undefined;
    throw new InputError(locatedMessage(file, pos?.line, pos?.col, describeYamlError(first.code, first.message)));
  }
  const positionOf = (path: readonly PropertyKey[]) => nodePosition(doc, lineCounter, path);
  return { file, data: doc.toJS({ maxAliasCount: 100 }), positionOf };
}

function describeYamlError(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'duplicate key: a later block would silently replace the earlier one';
  // The yaml package's messages end with a context excerpt on following lines: keep the first line.
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function nodePosition(doc: Document, lc: LineCounter, path: readonly PropertyKey[]) {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]);
  }
  return undefined;
}

/** Validates `data` with a zod schema; the first issue becomes a located one-line InputError. */
export function validateWith<T>(src: YamlSource, schema: z.ZodType<T>, data: unknown = src.data, basePath: PropertyKey[] = []): T {
  // reportInput: zod 4 leaves the offending value out of issues unless asked, and the message names it.
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = [...basePath, ...issue.path];
  throw new InputError(located(src, path, `${pathLabel(path)}${issueText(issue)}`));
}

export function located(src: YamlSource, path: readonly PropertyKey[], message: string): string {
  const pos = src.positionOf(path);
  return locatedMessage(src.file, pos?.line, pos?.col, message);
}

function pathLabel(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '';
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') + ': ';
}

function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}${'input' in issue && issue.input === undefined ? ' (missing)' : `, got ${describeValue((issue as { input?: unknown }).input)}`}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? `expected at least ${String(issue.minimum)} item(s): an empty list asserts nothing` : issue.message;
    default:
      return issue.message;
  }
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return typeof v === 'object' ? 'a mapping' : `${typeof v} ${String(v)}`;
}
