/**
 * A strict little XML reader for tests of generated SVG: it throws on
 * anything not well-formed (unbalanced or crossed tags, unquoted or
 * duplicate attributes, bare `&` or `<` in text, more than one root) and
 * returns the element tree so tests can query it.
 */

/** An element: name, attributes, child elements and its own text (entities decoded). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITY: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(s: string, where: number): string {
  if (/<|&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(s)) throw new Error(`xml: bare '<' or '&' near offset ${where}`);
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (_, e: string) =>
    e[0] === "#" ? String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ENTITY[e]!);
}

function attributes(src: string, where: number): Record<string, string> {
  const attrs: Record<string, string> = {};
  const rest = src.replace(/\s*([A-Za-z_:][\w:.-]*)\s*=\s*"([^"]*)"/g, (_, k: string, v: string) => {
    if (k in attrs) throw new Error(`xml: duplicate attribute ${k} near offset ${where}`);
    attrs[k] = decode(v, where);
    return "";
  });
  if (rest.trim() !== "") throw new Error(`xml: malformed attributes '${rest.trim()}' near offset ${where}`);
  return attrs;
}

/**
 * Parses `src` and returns its root element.
 *
 * @example
 * ```ts
 * parseXml('<svg><g id="a"/></svg>').children[0]!.attrs.id; // "a"
 * ```
 */
export function parseXml(src: string): XmlElement {
  const body = src.replace(/^\s*<\?xml[^?]*\?>/, "").replace(/<!--[\s\S]*?-->/g, "");
  const stack: XmlElement[] = [];
  const roots: XmlElement[] = [];
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)([^<>]*?)(\/?)>/g;
  let at = 0;
  for (let m = tag.exec(body); m !== null; m = tag.exec(body)) {
    const text = decode(body.slice(at, m.index), at);
    if (stack.length > 0) stack[stack.length - 1]!.text += text;
    else if (text.trim() !== "") throw new Error(`xml: text outside the root near offset ${at}`);
    at = m.index + m[0].length;
    const [, close, name, rawAttrs, selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`xml: </${name}> closes <${open?.name ?? "nothing"}> at offset ${m.index}`);
      continue;
    }
    const el: XmlElement = { name: name!, attrs: attributes(rawAttrs!, m.index), children: [], text: "" };
    if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
    else roots.push(el);
    if (!selfClose) stack.push(el);
  }
  if (body.slice(at).trim() !== "") throw new Error("xml: trailing text after the root");
  if (stack.length > 0) throw new Error(`xml: <${stack[stack.length - 1]!.name}> is never closed`);
  if (roots.length !== 1) throw new Error(`xml: expected one root element, found ${roots.length}`);
  return roots[0]!;
}

/**
 * Every element under (and including) `el` with the given name.
 *
 * @example
 * ```ts
 * findAll(parseXml(svg), "circle").length;
 * ```
 */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const own = el.name === name ? [el] : [];
  return own.concat(...el.children.map((c) => findAll(c, name)));
}
