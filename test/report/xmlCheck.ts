/**
 * A deliberately small, strict XML reader for tests: enough of XML 1.0 to prove the JUnit writer
 * emits well-formed documents (balanced tags, quoted attributes, valid references, only allowed
 * characters) and to walk the tree. It throws on anything it does not understand.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function decode(raw: string, where: number): string {
  if (raw.includes('<')) throw new Error(`raw '<' in character data near offset ${where}`);
  return raw.replace(/&([^;]*);?/g, (m, ref: string) => {
    if (!m.endsWith(';')) throw new Error(`unterminated reference near offset ${where}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (ref in named) return named[ref]!;
    const num = /^#x([0-9a-fA-F]+)$/.exec(ref) ?? /^#([0-9]+)$/.exec(ref);
    if (!num) throw new Error(`unknown entity &${ref}; near offset ${where}`);
    const code = parseInt(num[1]!, ref.startsWith('#x') ? 16 : 10);
    const ch = String.fromCodePoint(code);
    if (FORBIDDEN.test(ch)) throw new Error(`reference to a character XML 1.0 forbids: &${ref};`);
    return ch;
  });
}

export function parseXml(xml: string): XmlElement {
  if (FORBIDDEN.test(xml)) throw new Error('document holds a character XML 1.0 forbids');
  let i = 0;
  const decl = /^<\?xml[^?]*\?>\s*/.exec(xml);
  if (decl) i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    if (xml.startsWith('</', i)) {
      const end = xml.indexOf('>', i);
      const name = xml.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> does not close <${open?.name}> at offset ${i}`);
      i = end + 1;
      continue;
    }
    if (xml[i] === '<') {
      i += 1;
      const name = NAME.exec(xml.slice(i))?.[0];
      if (!name) throw new Error(`bad element name at offset ${i}`);
      i += name.length;
      const el: XmlElement = { name, attributes: {}, children: [], text: '' };
      for (;;) {
        const ws = /^\s*/.exec(xml.slice(i))![0];
        i += ws.length;
        if (xml.startsWith('/>', i)) {
          i += 2;
          break;
        }
        if (xml[i] === '>') {
          i += 1;
          stack.push(el);
          break;
        }
        if (ws === '') throw new Error(`attribute without preceding space at offset ${i}`);
        const attr = /^([A-Za-z_][\w.:-]*)="([^"]*)"/.exec(xml.slice(i));
        if (!attr) throw new Error(`bad attribute at offset ${i}: ${xml.slice(i, i + 30)}`);
        if (attr[1]! in el.attributes) throw new Error(`duplicate attribute ${attr[1]} at offset ${i}`);
        el.attributes[attr[1]!] = decode(attr[2]!, i);
        i += attr[0].length;
      }
      const parent = stack.at(el === stack.at(-1) ? -2 : -1);
      if (parent) parent.children.push(el);
      else if (root) throw new Error('more than one root element');
      else root = el;
      continue;
    }
    const next = xml.indexOf('<', i);
    const raw = xml.slice(i, next === -1 ? xml.length : next);
    const top = stack.at(-1);
    if (top) top.text += decode(raw, i);
    else if (raw.trim() !== '') throw new Error(`text outside the root element at offset ${i}`);
    i = next === -1 ? xml.length : next;
  }
  if (stack.length > 0) throw new Error(`<${stack.at(-1)!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}
