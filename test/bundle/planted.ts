import type { RedactionKind } from '../../src/bundle/manifest.js';

/**
 * Planted secrets of every redaction kind, in the forms they take in real files and logs, built
 * around one secret string `s` (letters and digits). `secrets` lists what must never survive.
 */

export const SECRET_ALPHABET = [...'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'];

export interface Planted {
  kind: RedactionKind;
  label: string;
  text: string;
  secrets: string[];
  /** The redaction runs to the end of the text (a key block whose END was cut off). */
  eatsRest?: boolean;
}

export function plantedSecrets(s: string): Planted[] {
  const up = s.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const aws = `AKIA${`${up}QWERTYUIOPASDFGH`.slice(0, 16)}`;
  const lic = `${up}A1B2C3D4E5F6G7H8I9J0KLMNO`
    .slice(0, 25)
    .match(/.{5}/g)!
    .join('-');
  const b64 = Buffer.from(s).toString('base64url');
  const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOi${b64}.${b64}Sig`;
  const basic = Buffer.from(`admin:${s}`).toString('base64');
  const hash = `$6$rounds=5000$${s}$${s}abcdefghijklmnop`;
  const gh = `ghp_${`${s}${'a'.repeat(36)}`.slice(0, 36)}`;
  const p = (kind: RedactionKind, label: string, text: string, secrets: string[] = [s]): Planted => ({ kind, label, text, secrets });
  return [
    p('password', 'key=value', `password=${s}`),
    p('password', 'key: value (YAML)', `    password: ${s}`),
    p('password', 'JSON', `{"user": "root", "password": "${s}"}`),
    p('password', 'shell export', `export DB_PASSWORD='${s}'`),
    p('password', 'config KEY value', `passwd ${s}`),
    p('password', 'passphrase =', `passphrase = ${s} with spaces`),
    p('password', 'ifupdown wpa-psk', `    wpa-psk ${s}`),
    p('password', 'ifcfg WPA_PSK', `WPA_PSK="${s}"`),
    p('password', 'NetworkManager psk=', `psk=${s}`),
    p('password', 'client_secret', `client_secret: ${s}`),
    p('password', 'xe master-password=', `xe pool-join master-address=10.0.0.1 master-username=root master-password=${s}`),
    p('password', 'xe -pw', `xe -s 10.0.0.1 -u root -pw ${s} host-list`),
    p('password', '--password X', `mysqldump --password ${s} --all-databases`),
    p('password', '--password=X', `tool --password=${s} run`),
    p('password', 'URL credentials', `mount -t cifs //h/s -o x https://admin:${s}@10.0.0.9/share`),
    p('password', 'snmpd createUser', `createUser bob SHA ${s} AES ${s}2`, [s, `${s}2`]),
    p('password', 'xe other-config map', `other-config (MRW): a: b; password: ${s}; c: d`),
    p('password-hash', 'shadow line', `root:${hash}:19000:0:99999:7:::`, [hash.slice(3)]),
    p('private-key', 'PEM block', `-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA${s}\n${s}AAAAB3NzaC1yc2E\n-----END RSA PRIVATE KEY-----`),
    p('private-key', 'OpenSSH block', `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE${s}\n-----END OPENSSH PRIVATE KEY-----`),
    p('private-key', 'block cut by a log tail (no BEGIN)', `${s}AAAAAAAAAAAAAAAAAAAA\nAAAAB3NzaC1yc2E${s}\n-----END OPENSSH PRIVATE KEY-----`),
    { ...p('private-key', 'block cut at the end (no END)', `-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI${s}`), eatsRest: true },
    p('authorization', 'Authorization: Bearer', `Authorization: Bearer ${s}`),
    p('authorization', 'Authorization: Basic', `Authorization: Basic ${basic}`, [basic]),
    p('authorization', 'Proxy-Authorization', `Proxy-Authorization: Digest username="a", response="${s}"`),
    p('token', 'Bearer in a log line', `GET /api/v1/hosts -- Bearer ${s} -- 200`),
    p('token', 'token= in a URL', `GET https://h/x?token=${s}&y=1`),
    p('token', 'api_key JSON', `{"api_key": "${s}"}`),
    p('token', 'X-Api-Key header', `X-Api-Key: ${s}`),
    p('token', 'aws secret key', `aws_secret_access_key = ${s}`),
    p('token', 'GitHub token', `export GH=${gh}`, [gh]),
    p('aws-access-key', 'AWS access key id', `aws_access_key_id_is ${aws} here`, [aws]),
    p('jwt', 'JWT', `cookie jwt ${jwt} end`, [jwt, b64]),
    p('license-key', 'bare everRun key', `${lic}`, [lic]),
    p('license-key', 'License Key: line', `License Key: ${lic}`, [lic]),
    p('license-key', 'serial key =', `serial_key = ${s}`),
    p('snmp-community', 'rocommunity', `rocommunity ${s} 10.0.0.0/24`),
    p('snmp-community', 'community=', `community=${s}`),
    p('snmp-community', 'cisco snmp-server community', `snmp-server community ${s} RO`),
    p('snmp-community', 'com2sec', `com2sec readonly default ${s}`),
  ];
}
