import type { RedactionCounts, RedactionKind } from './manifest.js';

/**
 * Secret redaction, applied to every collected text before anything is written (evidence.json
 * included). Always on. A redacted value becomes `[REDACTED:<kind>]`; the caller gets how many of
 * each kind were replaced, never the values.
 *
 * What is found (see docs/bundle-format.md for examples):
 *  - scan-credential: the exact password, and the private key material, used for this run;
 *  - private-key: PEM / OpenSSH / PGP private key blocks (also a block whose BEGIN line was cut off
 *    by a log tail), PuTTY private lines;
 *  - password: `key=value`, `key: value`, `"key": "value"`, `KEY value` config lines and
 *    `--key value` flags whose key ends in password, passwd, passphrase, secret, psk, credential(s),
 *    wep key, or is `pass` / ends in `_pass`, `_pwd` (xe's `master-password=` among them); URL
 *    user:password@;
 *    snmpd `createUser` pass phrases;
 *  - password-hash: crypt(3) hashes ($1$, $2b$, $5$, $6$, $y$ ...);
 *  - token: values of keys ending in token, api key, access key, secret key, auth key, private key,
 *    session id, cookie; `Bearer` tokens; GitHub and Slack token formats;
 *  - aws-access-key: AWS access key ids (AKIA..., ASIA...);
 *  - jwt: JSON Web Tokens (eyJ...eyJ...);
 *  - authorization: the value of `Authorization:` and `Proxy-Authorization:` headers;
 *  - license-key: license / product / activation / serial key values, and bare everRun- and
 *    Marathon-style keys (four or more dash-joined groups of 4-6 capitals and digits);
 *  - snmp-community: `community`, `rocommunity`/`rwcommunity`, `snmp-server community`, `com2sec`.
 *
 * Every pattern is linear in the text (no nested quantifiers over the same characters, starts
 * pinned to token boundaries), so a hostile log cannot stall a bundle. It never throws.
 */

export interface RedactResult {
  text: string;
  counts: RedactionCounts;
}

const mark = (kind: RedactionKind) => `[REDACTED:${kind}]`;

/** A value that needs no redaction: empty, already redacted, or masked with asterisks. */
function harmless(value: string): boolean {
  const v = value.trim();
  return v === '' || v.startsWith('[REDACTED') || /^\*+$/.test(v) || v === '""' || v === "''";
}

/** What a key's value is, from the key's name; undefined for keys that hold no secret. */
export function kindForKey(rawKey: string): RedactionKind | undefined {
  const key = rawKey.toLowerCase();
  if (/(?:licen[cs]e|product|activation|serial|registration)[_ .-]?(?:key|code)$|licen[cs]e[_ .-]?(?:number|no|id)$/.test(key)) return 'license-key';
  if (/community(?:[_ .-]?string)?$|^r[ow]community6?$/.test(key)) return 'snmp-community';
  if (key === 'authorization' || key === 'proxy-authorization') return 'authorization';
  if (
    /token$|api[_.-]?key$|apikey$|secret[_.-]?(?:access[_.-]?)?key$|access[_.-]?key(?:[_.-]?id)?$|auth[_.-]?key$|private[_.-]?key$|session[_.-]?(?:id|key)$|^(?:set-)?cookie$/.test(
      key,
    )
  ) {
    return 'token';
  }
  // "pass" alone or as a suffix after a separator (db_pass), never inside a word (bypass, compass).
  if (/(?:pass(?:word|wd|phrase)|secret|psk|credentials?|wep[_.-]?key\d?)$|(?:^|[_.-])pass$|[a-z0-9][_.-]pwd$/.test(key)) return 'password';
  return undefined;
}

/** Replaces the inside of a quoted value, or the whole value; undefined when nothing to do. */
function redactValue(value: string, kind: RedactionKind): string | undefined {
  const q = value[0];
  if (q === '"' || q === "'") {
    const close = value.indexOf(q, 1);
    const inner = close > 0 ? value.slice(1, close) : value.slice(1);
    if (harmless(inner)) return undefined;
    return close > 0 ? `${q}${mark(kind)}${value.slice(close)}` : `${q}${mark(kind)}`;
  }
  if (harmless(value)) return undefined;
  return mark(kind);
}

type Counter = (kind: RedactionKind) => void;
type Rule = (text: string, count: Counter) => string;

const replaceWith =
  (re: RegExp, kind: RedactionKind, replacement: (m: string, ...groups: string[]) => string): Rule =>
  (text, count) =>
    text.replace(re, (m: string, ...rest: unknown[]) => {
      const groups = rest.filter((g): g is string => typeof g === 'string' || g === undefined) as string[];
      const out = replacement(m, ...groups);
      if (out !== m) count(kind);
      return out;
    });

// --- private keys ---------------------------------------------------------------------------

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?|OpenVPN Static key V\d)-----[\s\S]*?(?:-----END \1-----|$)/g;
// A log tail can start in the middle of a key: base64 lines followed by an END line.
const PEM_ORPHAN_END = /(?:^[A-Za-z0-9+/=]{16,}\r?\n){1,200}(-----END (?:[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?|OpenVPN Static key V\d)-----)/gm;
const PUTTY_PRIVATE = /^(Private-Lines:[ \t]*\d+)\r?\n(?:[A-Za-z0-9+/=]{1,200}(?:\r?\n|$)){1,400}/gm;

// --- key/value forms ------------------------------------------------------------------------

/** `key = value` / `key: value` starting a line (config files, YAML, xe `key ( RW): value`): the value runs to the end of the line. */
const LINE_ASSIGNMENT = /^([ \t]*(?:export[ \t]+|-[ \t]+|[#;][ \t]*)?)(["']?)([A-Za-z][A-Za-z0-9_.-]*)\2((?:[ \t]*\([ \t]*[A-Z]{1,4}[ \t]*\))?[ \t]*(?:=>|=|:)[ \t]*)([^\r\n]*)$/gm;
/**
 * `key=value` anywhere else (command lines, log lines, query strings, JSON): the value is one token
 * or a quoted string. Only the key and separator are matched; the value is read by hand for secret
 * keys, so the value of an ordinary key (a URL) is still searched for `token=` and the like.
 */
const INLINE_KEY = /(?<![A-Za-z0-9_.-])(["']?)([A-Za-z][A-Za-z0-9_.-]*)\1([ \t]*[:=][ \t]*)/g;
const INLINE_VALUE = /"(?:[^"\\\r\n]|\\.)*"?|'[^'\r\n]*'?|[^\s"',;&<>)\]}]+/y;
/** `KEY value` config lines without a separator (ifupdown wpa-psk, snmpd, redis, cisco). */
const SPACE_ASSIGNMENT =
  /^([ \t]*)(password|passwd|passphrase|secret|psk|wpa-psk|wpa-passphrase|pre-shared-key|masterauth|requirepass|(?:snmp-server[ \t]+)?community|rocommunity6?|rwcommunity6?)([ \t]+)([^\s=:][^\r\n]*)$/gim;
const COM2SEC = /^([ \t]*com2sec6?[ \t]+(?:-Cn[ \t]+\S+[ \t]+)?\S+[ \t]+\S+[ \t]+)(\S+)/gim;
const CREATE_USER = /^([ \t]*createUser[ \t]+(?:-e[ \t]+\S+[ \t]+)?\S+[ \t]+\S+[ \t]+)(\S+)(?:([ \t]+\S+[ \t]+)(\S+))?/gim;
const FLAG =
  /(?<![A-Za-z0-9_-])(--?(?:password|passwd|pass|passphrase|secret|token|api-key|apikey|access-token|auth-token|pw|psk|community))(=|[ \t]+)("(?:[^"\\\r\n]|\\.)*"?|'[^'\r\n]*'?|[^\s"'-][^\s"']*)/gi;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{1,20}:\/\/[^\s/:@]{1,256}:)([^\s/@]{1,256})(@)/gi;

// --- headers and tokens ---------------------------------------------------------------------

const AUTHORIZATION_HEADER = /\b((?:Proxy-)?Authorization)(["']?[ \t]*[:=][ \t]*)([^\r\n]*)/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer)([ \t]+)([A-Za-z0-9._~+/-]{8,}=*)/gi;
const AWS_ACCESS_KEY = /(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g;
const KNOWN_TOKENS = /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{40,255}|xox[abprs]-[A-Za-z0-9-]{10,255}|sk_live_[A-Za-z0-9]{16,255})\b/g;
const CRYPT_HASH = /(?<![A-Za-z0-9$])\$(?:1|2[abxy]|5|6|7|y|gy)\$[A-Za-z0-9./=,$]{16,}/g;
/** everRun / Marathon-style license keys: 4..8 dash-joined groups of 4-6 capitals and digits, with both. */
const LICENSE_KEY = /(?<![A-Za-z0-9-])(?=[A-Z0-9-]*[0-9])(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{4,6}(?:-[A-Z0-9]{4,6}){3,7}(?![A-Za-z0-9-])/g;

const RULES: Rule[] = [
  replaceWith(PEM_BLOCK, 'private-key', (m, label) => `-----BEGIN ${label}-----\n${mark('private-key')}\n-----END ${label}-----`),
  replaceWith(PEM_ORPHAN_END, 'private-key', (_m, end) => `${mark('private-key')}\n${end}`),
  replaceWith(PUTTY_PRIVATE, 'private-key', (_m, head) => `${head}\n${mark('private-key')}\n`),
  // Headers before generic tokens, so "Authorization: Bearer x" counts once, as authorization.
  (text, count) =>
    text.replace(AUTHORIZATION_HEADER, (m, name: string, sep: string, value: string, offset: number) => {
      // Inside a quoted argument (curl -H "Authorization: ..."), the value ends at the closing quote.
      const q = text[offset - 1];
      let v = value;
      let rest = '';
      if ((q === '"' || q === "'") && !sep.includes(q)) {
        const close = value.indexOf(q);
        if (close >= 0) {
          v = value.slice(0, close);
          rest = value.slice(close);
        }
      }
      if (harmless(v)) return m;
      count('authorization');
      return `${name}${sep}${mark('authorization')}${rest}`;
    }),
  replaceWith(JWT, 'jwt', () => mark('jwt')),
  replaceWith(BEARER, 'token', (m, word, sp, token) => (/[0-9._~+/-]/.test(token!) ? `${word}${sp}${mark('token')}` : m)),
  replaceWith(AWS_ACCESS_KEY, 'aws-access-key', () => mark('aws-access-key')),
  replaceWith(KNOWN_TOKENS, 'token', () => mark('token')),
  replaceWith(CRYPT_HASH, 'password-hash', () => mark('password-hash')),
  replaceWith(URL_CREDENTIALS, 'password', (m, head, pw, at) => (harmless(pw!) ? m : `${head}${mark('password')}${at}`)),
  (text, count) =>
    text.replace(FLAG, (m, flag: string, sep: string, value: string) => {
      const name = flag.replace(/^-+/, '').toLowerCase();
      const kind: RedactionKind = name === 'community' ? 'snmp-community' : /token|key/.test(name) ? 'token' : 'password';
      const out = redactValue(value, kind);
      if (out === undefined) return m;
      count(kind);
      return `${flag}${sep}${out}`;
    }),
  (text, count) =>
    text.replace(COM2SEC, (m, head: string, community: string) => {
      if (harmless(community)) return m;
      count('snmp-community');
      return `${head}${mark('snmp-community')}`;
    }),
  (text, count) =>
    text.replace(CREATE_USER, (m, head: string, auth: string, mid: string | undefined, priv: string | undefined) => {
      let out = head;
      if (harmless(auth)) out += auth;
      else {
        out += mark('password');
        count('password');
      }
      if (mid !== undefined && priv !== undefined) {
        out += mid;
        if (harmless(priv)) out += priv;
        else {
          out += mark('password');
          count('password');
        }
      }
      return out === m ? m : out;
    }),
  (text, count) =>
    text.replace(SPACE_ASSIGNMENT, (m, indent: string, key: string, sp: string, value: string) => {
      const community = /community/i.test(key);
      const kind: RedactionKind = community ? 'snmp-community' : 'password';
      if (community) {
        // Only the community itself; what follows (source network, RO/RW) is kept.
        const first = /^\S+/.exec(value)![0];
        if (harmless(first)) return m;
        count(kind);
        return `${indent}${key}${sp}${mark(kind)}${value.slice(first.length)}`;
      }
      const v = value.replace(/[ \t]+$/, '');
      const out = redactValue(v, kind);
      if (out === undefined) return m;
      count(kind);
      return `${indent}${key}${sp}${out}`;
    }),
  (text, count) =>
    text.replace(LINE_ASSIGNMENT, (m, lead: string, quote: string, key: string, sep: string, value: string) => {
      const kind = kindForKey(key);
      if (kind === undefined) return m;
      const v = value.replace(/[ \t]+$/, '');
      const out = redactValue(v, kind);
      if (out === undefined) return m;
      count(kind);
      return `${lead}${quote}${key}${quote}${sep}${out}`;
    }),
  (text, count) => {
    let out = '';
    let at = 0;
    INLINE_KEY.lastIndex = 0;
    for (let m = INLINE_KEY.exec(text); m !== null; m = INLINE_KEY.exec(text)) {
      const kind = kindForKey(m[2]!);
      if (kind === undefined) continue;
      const valueAt = m.index + m[0].length;
      INLINE_VALUE.lastIndex = valueAt;
      const v = INLINE_VALUE.exec(text);
      if (!v) continue;
      const red = redactValue(v[0], kind);
      if (red === undefined) continue;
      count(kind);
      out += text.slice(at, valueAt) + red;
      at = valueAt + v[0].length;
      INLINE_KEY.lastIndex = at;
    }
    return at === 0 ? text : out + text.slice(at);
  },
  replaceWith(LICENSE_KEY, 'license-key', () => mark('license-key')),
];

/**
 * A redactor for one run: the patterns above plus the literal secrets of this run (the SSH
 * password, the lines of the private keys used), which are replaced wherever they occur.
 */
export class Redactor {
  private readonly literals: string[];

  /** Literals shorter than 3 characters are ignored (they would erase ordinary text). */
  constructor(literals: readonly string[] = []) {
    this.literals = [...new Set(literals.filter((l) => l.length >= 3))].sort((a, b) => b.length - a.length);
  }

  redact(text: string): RedactResult {
    const counts: RedactionCounts = {};
    const count: Counter = (kind) => {
      counts[kind] = (counts[kind] ?? 0) + 1;
    };
    let t = typeof text === 'string' ? text : String(text);
    for (const lit of this.literals) {
      if (!t.includes(lit)) continue;
      const parts = t.split(lit);
      for (let i = 1; i < parts.length; i++) count('scan-credential');
      t = parts.join(mark('scan-credential'));
    }
    for (const rule of RULES) {
      try {
        t = rule(t, count);
      } catch {
        // A pattern must never sink a bundle; the remaining ones still run.
      }
    }
    return { text: t, counts };
  }
}

/** Redacts with the patterns only (no run literals). */
export function redact(text: string, literals: readonly string[] = []): RedactResult {
  return new Redactor(literals).redact(text);
}

/**
 * The literal secrets in a private key file: its base64 body lines (16+ characters), so the key
 * never appears even where no BEGIN/END line survives. Public keys and unreadable files give none.
 */
export function privateKeyLiterals(keyText: string): string[] {
  if (!/PRIVATE KEY/.test(keyText)) return [];
  return keyText
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length >= 16 && /^[A-Za-z0-9+/=]+$/.test(l));
}
