import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kindForKey, privateKeyLiterals, redact, Redactor } from '../../src/bundle/redact.js';
import { plantedSecrets, SECRET_ALPHABET } from './planted.js';

/**
 * The redactor on planted texts: every kind is found in the forms it takes in real files, ordinary
 * lines that merely look similar are left alone (the scan must replay to the same verdicts), and
 * property tests show it never throws and a planted secret never survives, whatever surrounds it.
 */

describe('redact: every kind, in the forms real files use', () => {
  for (const p of plantedSecrets('Zq9SECRETvalue42')) {
    it(`${p.kind}: ${p.label}`, () => {
      const { text, counts } = redact(`before\n${p.text}\nafter`);
      for (const s of p.secrets) expect(text, text).not.toContain(s);
      expect(counts[p.kind], JSON.stringify(counts)).toBeGreaterThanOrEqual(1);
      expect(text).toContain(`[REDACTED:${p.kind}]`);
      expect(text.startsWith('before\n')).toBe(true);
      if (!p.eatsRest) expect(text.endsWith('\nafter')).toBe(true);
    });
  }

  it('keeps what surrounds a value: quotes, separators, the rest of the line', () => {
    expect(redact('  "password": "x y z",').text).toBe('  "password": "[REDACTED:password]",');
    expect(redact("export DB_PASSWORD='abc'").text).toBe("export DB_PASSWORD='[REDACTED:password]'");
    expect(redact('rocommunity s3cret 10.0.0.0/24').text).toBe('rocommunity [REDACTED:snmp-community] 10.0.0.0/24');
    expect(redact('other-config (MRW): foo: bar; password: x1; y: z').text).toBe('other-config (MRW): foo: bar; password: [REDACTED:password]; y: z');
    expect(redact('curl -H "Authorization: Basic dXNlcjpwYXNz" https://h/').text).toBe('curl -H "Authorization: [REDACTED:authorization]" https://h/');
    expect(redact('mysql --password s3cr3t --user bob').text).toBe('mysql --password [REDACTED:password] --user bob');
    expect(redact('https://admin:hunter22@10.0.0.1/api').text).toBe('https://admin:[REDACTED:password]@10.0.0.1/api');
  });

  it('counts each value once, by kind', () => {
    const { counts } = redact('password=a1\npasswd: b2\nAuthorization: Bearer abcdefgh12345\ntoken=xyz123\nrocommunity pub1');
    expect(counts).toEqual({ password: 2, authorization: 1, token: 1, 'snmp-community': 1 });
  });
});

describe('redact: look-alikes are left alone (the scan must replay to the same verdicts)', () => {
  const untouched = [
    'Vulnerability Spec store bypass:         Mitigation; Speculative Store Bypass disabled via prctl',
    '[    0.252610] Speculative Store Bypass: Vulnerable',
    'PasswordAuthentication yes',
    'PermitEmptyPasswords no',
    'uuid ( RO): 5efc236c-f137-4df7-9902-ba8fbf9a2ac2',
    'System UUID: 4C4C4544-0035-4B10-8044-B3C04F4A4B31',
    'link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff',
    'BOOTPROTO=static\nIPADDR=10.0.0.11\nNETMASK=255.255.255.0\nHWADDR=00:25:90:AB:CD:EF',
    'Dec  1 10:00:00 xs1 sshd[123]: Accepted password for alice from 10.0.0.5 port 51234 ssh2',
    'session opened for user root by (uid=0)',
    'tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=812,fd=3))',
    'PRODUCT_VERSION=\'6.0.0\'\nBUILD_NUMBER=\'50762p\'',
    'key_mgmt=WPA-PSK',
    'Serial Number: CZJ12345AB',
    'CVE-2017-5753 mitigated',
    '-A INPUT -p tcp -m tcp --dport 8080 -j ACCEPT',
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHlabpublickeyonlyxxxxxxxxxxxxxxxxxxxxxxxxxx preflight-lab',
    'password:',
    'password=********',
    'secret: [REDACTED:password]',
  ];
  for (const line of untouched) {
    it(JSON.stringify(line.slice(0, 60)), () => {
      const r = redact(line);
      expect(r.text).toBe(line);
      expect(r.counts).toEqual({});
    });
  }

  it('classifies keys by their last word', () => {
    expect(kindForKey('master-password')).toBe('password');
    expect(kindForKey('db_pass')).toBe('password');
    expect(kindForKey('bypass')).toBeUndefined();
    expect(kindForKey('PasswordAuthentication')).toBeUndefined();
    expect(kindForKey('aws_secret_access_key')).toBe('token');
    expect(kindForKey('X-Api-Key')).toBe('token');
    expect(kindForKey('license_key')).toBe('license-key');
    expect(kindForKey('rocommunity')).toBe('snmp-community');
    expect(kindForKey('PWD')).toBeUndefined();
  });
});

describe('redact: the run\'s own secrets', () => {
  it('replaces the literal password and private key lines wherever they are', () => {
    const r = new Redactor(['Lab-Pass-123', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmU', 'no']);
    const { text, counts } = r.redact('said Lab-Pass-123 twice: xLab-Pass-123x\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\nno no');
    expect(text).not.toContain('Lab-Pass-123');
    expect(text).not.toContain('b3BlbnNzaC1rZXktdjEAAAAABG5vbmU');
    expect(text).toContain('no no'); // literals under 3 characters are ignored
    expect(counts['scan-credential']).toBe(3);
  });

  it('takes the body lines of a private key file, nothing of a public key', () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\nAAAAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n';
    expect(privateKeyLiterals(key)).toEqual(['b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ', 'AAAAAAAAAAAABAAAAMwAAAAtzc2gtZW']);
    expect(privateKeyLiterals('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZ comment\n')).toEqual([]);
  });
});

describe('redact: properties', () => {
  const secret = fc
    .array(fc.constantFrom(...SECRET_ALPHABET), { minLength: 10, maxLength: 24 })
    .map((cs) => `Q7${cs.join('')}x9`);

  it('never throws and always returns text, on any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        const r = redact(s);
        expect(typeof r.text).toBe('string');
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on texts built from the patterns\' own pieces', () => {
    const piece = fc.constantFrom('password', '=', ':', ' ', '\n', '"', "'", '-----BEGIN RSA PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----', 'Bearer ', 'eyJ', '.', 'AKIA', '$6$', 'community', '--pw', 'ABCDE-', '12345', '[REDACTED:token]');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const once = redact(parts.join(''));
        expect(typeof once.text).toBe('string');
        // Redacting twice changes nothing more: what is left is safe to show.
        expect(redact(once.text).text).toBe(once.text);
      }),
      { numRuns: 500 },
    );
  });

  // Random text, random bytes, and text made of the patterns' own pieces (unclosed quotes, BEGIN lines).
  const noise = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc
      .array(fc.constantFrom('password', '=', ':', ' ', '\n', '"', "'", '-----BEGIN RSA PRIVATE KEY-----', 'Bearer ', 'community', 'ABCDE-', '\\', '#', 'export '), { maxLength: 30 })
      .map((a) => a.join('')),
  );

  it('a planted secret of any kind never survives, whatever text surrounds it', () => {
    fc.assert(
      fc.property(noise, secret, noise, fc.nat(), (before, s, after, pick) => {
        const cases = plantedSecrets(s);
        const p = cases[pick % cases.length]!;
        const { text } = redact(`${before}\n${p.text}\n${after}`);
        for (const v of p.secrets) {
          if (before.includes(v) || after.includes(v)) continue; // the random text itself holds it
          expect(text, `${p.kind} ${p.label}: ${JSON.stringify(text)}`).not.toContain(v);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('stays fast on hostile input (no catastrophic backtracking)', () => {
    const hostile = [
      'a='.repeat(200_000),
      'password'.repeat(100_000),
      `${'A'.repeat(40)}\n`.repeat(20_000),
      '-----BEGIN RSA PRIVATE KEY-----'.repeat(10_000),
      'x:'.repeat(200_000),
      `${'ABCDE-'.repeat(50_000)}1`,
      `${'a.'.repeat(200_000)}`,
      `"${'\\"'.repeat(100_000)}`,
    ];
    for (const h of hostile) {
      const start = performance.now();
      redact(h);
      expect(performance.now() - start, h.slice(0, 20)).toBeLessThan(3000);
    }
  });
});
