import { z } from 'zod';

/**
 * The NIC layout of the guide's basic two-host pool (Chapter 3, "Define the Network Configuration"):
 * which interface carries which network. Network checks take it as a parameter, so a site whose
 * Dom0 names NICs differently changes it once (a YAML anchor) instead of in every rule.
 */
export const NicLayout = z
  .object({
    management: z.string().min(1).describe('XenServer management LAN (guide: eth0)'),
    alink1: z.string().min(1).describe('availability link 1 (guide: eth1)'),
    alink2: z.string().min(1).describe('availability link 2 (guide: eth2)'),
    production: z.string().min(1).describe('production LAN (guide: eth3)'),
    bondPartner: z.string().min(1).describe('NIC bonded with the management NIC (guide: eth4)'),
    bondManagement: z
      .boolean()
      .describe('true when the management NIC is (to be) bonded with bondPartner; the guide needs it for XenServer HA only'),
  })
  .strict();
export type NicLayout = z.infer<typeof NicLayout>;

export interface LayoutNic {
  role: string;
  name: string;
}

/** The NICs the layout uses, in the guide's order; the bond partner only when bonding is planned or present. */
export function layoutNics(layout: NicLayout, includeBondPartner: boolean): LayoutNic[] {
  const nics: LayoutNic[] = [
    { role: 'management', name: layout.management },
    { role: 'A-link 1', name: layout.alink1 },
    { role: 'A-link 2', name: layout.alink2 },
    { role: 'production', name: layout.production },
  ];
  if (includeBondPartner) nics.push({ role: 'management bond partner', name: layout.bondPartner });
  return nics;
}
