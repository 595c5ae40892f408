// Placeholder: the upload view.
import { el } from './dom.js';

export function render(main) {
  main.append(el('h1', {}, 'upload'));
}
