import { Report } from './schema.js';

/**
 * The JSON report, the public contract. Passing it through the zod schema puts keys in schema
 * order (stable diffs between runs, whatever order the engine built objects in), drops anything
 * the schema does not publish, and refuses to write a document readers could not trust.
 */
export function renderJson(report: Report): string {
  const checked = Report.safeParse(report);
  if (!checked.success) {
    const where = checked.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new Error(`internal error: the report does not match its published schema (${where})`);
  }
  return JSON.stringify(checked.data, null, 2) + '\n';
}
