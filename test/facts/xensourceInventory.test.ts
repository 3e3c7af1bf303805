import { describe, expect, it } from 'vitest';
import { parseXensourceInventory } from '../../src/facts/xensourceInventory.js';
import { INVENTORY_55 } from './samples.js';

// No real capture is stored (../shared lists the xe_inventory folder but holds no file): a
// synthetic XenServer 5.5 /etc/xensource-inventory in the installer's KEY='value' layout.

describe('parseXensourceInventory', () => {
  it('(synthetic) product, version, build, this host\'s uuid and the management bridge', () => {
    const { value, problems } = parseXensourceInventory(INVENTORY_55);
    expect(problems).toEqual([]);
    expect(value).toMatchObject({
      productBrand: 'XenServer',
      productVersion: '5.5.0',
      buildNumber: '25727p',
      installationUuid: '0f8e1a7c-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
      controlDomainUuid: '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d',
      managementInterface: 'xenbr0',
    });
    expect(value.values['DOM0_MEM']).toBe('752');
  });

  it('(synthetic) double quotes, bare values and comments; a malformed line is reported', () => {
    const { value, problems } = parseXensourceInventory('# hand made\nPRODUCT_VERSION="6.2.0"\nBUILD_NUMBER=70446c\nnot a line\n');
    expect(value).toMatchObject({ productVersion: '6.2.0', buildNumber: '70446c' });
    expect(problems).toEqual(['line 4: not KEY=\'value\': "not a line"']);
  });

  it('an empty file is a problem', () => {
    expect(parseXensourceInventory('').problems).toEqual(['the inventory is empty']);
  });
});
