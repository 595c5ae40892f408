// Placeholder: the submit view.
import { el } from './dom.js';

export function render(main) {
  main.append(el('h1', {}, 'submit'));
}
