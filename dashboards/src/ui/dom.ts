/** A tiny element builder: the page is small enough to need no framework. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: (Node | string | null)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null) el.append(c);
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A short line in a level's style: the legend's and the list's non-colour cue. */
export function levelSwatch(color: string, width: number, dash: readonly number[], casing: boolean): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', '36');
  svg.setAttribute('height', '14');
  svg.setAttribute('viewBox', '0 0 36 14');
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('swatch');
  const line = (stroke: string, w: number, d: readonly number[]) => {
    const l = document.createElementNS(SVG, 'line');
    for (const [k, v] of Object.entries({ x1: '4', y1: '7', x2: '32', y2: '7', stroke, 'stroke-width': String(w), 'stroke-linecap': 'round' })) l.setAttribute(k, v);
    if (d.length > 0) l.setAttribute('stroke-dasharray', d.join(' '));
    svg.append(l);
  };
  if (casing) line('#000', width + 2, []);
  line(color, width, dash);
  return svg;
}
