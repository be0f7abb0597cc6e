/** Small DOM helpers: elements built with textContent only, so API data is never parsed as HTML. */

export const $ = (selector) => document.querySelector(selector);

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else node.setAttribute(name, String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined).map((child) => (child instanceof Node ? child : String(child))));
  return node;
}

export function cell(value, className) {
  return el('td', className ? { class: className } : {}, value ?? '–');
}

export function when(unixSeconds) {
  return unixSeconds ? new Date(unixSeconds * 1000).toLocaleString() : '–';
}

export function showError(target, err) {
  target.textContent = err ? err.message : '';
  target.hidden = !err;
}

/** Runs an action for a button, disabling it meanwhile and showing a failure in `errorTarget`. */
export async function guarded(button, errorTarget, action) {
  showError(errorTarget, null);
  if (button) button.disabled = true;
  try {
    await action();
  } catch (err) {
    showError(errorTarget, err);
  } finally {
    if (button) button.disabled = false;
  }
}

/**
 * Wires a form's submit to `action(values)`; errors appear in the form's own .error line.
 * Submit buttons start disabled in the HTML, so nothing is submitted natively (a secret
 * key in a URL) before this script has taken over.
 */
export function onSubmit(form, action) {
  const button = form.querySelector('button[type=submit]');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(form));
    void guarded(button, form.querySelector('.error'), () => action(values));
  });
  button.disabled = false;
}

/** Previous/next buttons and "page x of y" from the X-Pagination headers. */
export function renderPager(nav, page, noun, go) {
  const previous = el('button', { type: 'button', class: 'secondary', onclick: () => go(page.current - 1) }, 'Previous page');
  const next = el('button', { type: 'button', class: 'secondary', onclick: () => go(page.current + 1) }, 'Next page');
  previous.disabled = page.current <= 1;
  next.disabled = page.current >= page.count;
  const summary = el('span', {}, `Page ${page.current} of ${Math.max(page.count, 1)} · ${page.total} ${noun}`);
  nav.replaceChildren(previous, summary, next);
}
