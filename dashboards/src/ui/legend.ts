import { LEVELS, LEVEL_STYLES, UNSCORED_STYLE } from '../model/levels.js';
import { h, levelSwatch } from './dom.js';

/** The legend with the number of segments at each level (counts[0] = no score yet). */
export class Legend {
  readonly el: HTMLElement;
  private readonly counts: HTMLElement[] = [];

  constructor() {
    const items = [UNSCORED_STYLE, ...LEVELS.map((l) => LEVEL_STYLES[l])].map((s) => {
      const count = h('span', { class: 'count' }, '0');
      this.counts.push(count);
      return h('li', {}, levelSwatch(s.color, s.width, s.dash, s.casing), h('span', { class: 'label' }, s.label), count);
    });
    this.el = h('ul', { class: 'legend', 'aria-label': 'Legend: risk levels, with the number of segments at each' }, ...items);
  }

  update(counts: readonly number[]): void {
    counts.forEach((c, i) => {
      this.counts[i].textContent = String(c);
    });
  }
}
