import { parsed, type ParseResult } from './parseResult.js';
import { quoteLine, splitLines } from './textLines.js';

/** /etc/xensource-inventory, the XenServer installer's record of this host. */
export interface XensourceInventory {
  /** Every KEY='value' line, unquoted. */
  values: Record<string, string>;
  productBrand?: string;
  productVersion?: string;
  buildNumber?: string;
  /** This host's uuid: the record of this host in `xe host-list` has it as its uuid. */
  installationUuid?: string;
  controlDomainUuid?: string;
  /** The Dom0 bridge carrying the management address, e.g. "xenbr0". */
  managementInterface?: string;
}

/**
 * Parses KEY='value' lines (the installer writes single quotes; hand-made test hosts sometimes use
 * double quotes or none). Comments and blank lines are skipped.
 */
export function parseXensourceInventory(text: string): ParseResult<XensourceInventory> {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  splitLines(text).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(?:'([^']*)'|"([^"]*)"|([^'"\s]*))\s*$/.exec(line);
    if (!m) {
      problems.push(`line ${i + 1}: not KEY='value': ${quoteLine(raw)}`);
      return;
    }
    values[m[1] as string] = m[2] ?? m[3] ?? m[4] ?? '';
  });
  const value: XensourceInventory = { values };
  const pick = (k: string) => (values[k] !== undefined && values[k] !== '' ? values[k] : undefined);
  const fields: [keyof Omit<XensourceInventory, 'values'>, string][] = [
    ['productBrand', 'PRODUCT_BRAND'],
    ['productVersion', 'PRODUCT_VERSION'],
    ['buildNumber', 'BUILD_NUMBER'],
    ['installationUuid', 'INSTALLATION_UUID'],
    ['controlDomainUuid', 'CONTROL_DOMAIN_UUID'],
    ['managementInterface', 'MANAGEMENT_INTERFACE'],
  ];
  for (const [field, key] of fields) {
    const v = pick(key);
    if (v !== undefined) value[field] = v;
  }
  if (Object.keys(values).length === 0 && problems.length === 0) problems.push('the inventory is empty');
  return parsed(value, problems);
}
