(() => {
/* Run in the page by test_reading_browser.py (as `return (...)()`): what overflows, and
 * each state's contrast against its background. */
const column = document.querySelector(
  'article[role="main"], [itemprop="articleBody"], article.bd-article, div.body[role="main"], div.body'
);
const limit = column.getBoundingClientRect().right + 1;
/* A view widened past the column (static/techspec.js: .techspec-wide) may reach the window's
 * right edge, but a side bar the theme shows right of the column only when it is widened
 * over it (.techspec-over-bar: beside the bar it would not show whole). */
const windowLimit = document.documentElement.clientWidth + 1;
let pageLimit = windowLimit;
for (const bar of document.querySelectorAll('.toc-drawer, .bd-sidebar-secondary')) {
  const rect = bar.getBoundingClientRect();
  if (rect.width && rect.height && rect.left >= limit - 2) pageLimit = Math.min(pageLimit, rect.left + 1);
}
const leftLimit = column.getBoundingClientRect().left - 1;
function limitOf(element) {
  if (element.closest('.techspec-over-bar')) return windowLimit;
  return element.closest('.techspec-wide') ? pageLimit : limit;
}
const overflowing = [];
for (const element of document.querySelectorAll('[class*="techspec-"]')) {
  const scroll = element.closest('.techspec-table-scroll');
  if (scroll && scroll !== element) continue;
  if (element.closest('svg, .mermaid, .sd-tab-content')) continue;
  const box = element.getBoundingClientRect();
  if (!box.width || !element.getClientRects().length) continue;
  if (box.right > limitOf(element) || box.left < leftLimit) {
    overflowing.push(`${element.tagName}.${element.className}: ${Math.round(box.left)}-${Math.round(box.right)} outside ${Math.round(leftLimit)}-${Math.round(limitOf(element))}`);
  }
}
/* No box of the theme around the column scrolls sideways because of us. */
for (let node = column; node && node !== document.documentElement; node = node.parentElement) {
  const overflow = getComputedStyle(node).overflowX;
  if ((overflow === 'auto' || overflow === 'scroll') && node.scrollWidth > node.clientWidth + 1) {
    overflowing.push(`the theme's ${node.tagName}.${node.className} scrolls sideways: ${node.scrollWidth} > ${node.clientWidth}`);
  }
}
/* A view widened over a side bar is seen above it, not under it. */
for (const element of document.querySelectorAll('.techspec-over-bar')) {
  element.scrollIntoView({block: 'center', behavior: 'instant'});
  const box = element.getBoundingClientRect();
  const y = Math.max(box.top, 0) + Math.min(box.height, window.innerHeight) / 2;
  const hit = document.elementFromPoint(box.right - 12, y);
  if (!hit || !element.contains(hit)) {
    overflowing.push(`${element.tagName}.${element.className}: under ${hit ? hit.tagName + '.' + hit.className : 'nothing'}`);
  }
}
window.scrollTo({top: 0, behavior: 'instant'});
/* Each view's table: whole in its box, or scrolling there with the words that say so;
 * its smallest text. */
function shown(element) {
  return !!element && !element.hidden && element.getClientRects().length > 0
    && getComputedStyle(element).visibility !== 'hidden';
}
function smallestText(root, selector) {
  let smallest = Infinity;
  for (const element of root.querySelectorAll(selector)) {
    if (!element.textContent.trim() || !element.getClientRects().length) continue;
    smallest = Math.min(smallest, parseFloat(getComputedStyle(element).fontSize));
  }
  return smallest === Infinity ? null : smallest;
}
const tables = [];
for (const scroll of document.querySelectorAll('.techspec-table-scroll')) {
  if (scroll.closest('.techspec-item') || !scroll.getClientRects().length) continue;
  const hint = scroll.previousElementSibling;
  tables.push({
    name: (scroll.closest('section[id]') || {id: '?'}).id,
    whole: scroll.scrollWidth <= scroll.clientWidth + 1,
    hint: !!hint && hint.classList.contains('techspec-scroll-hint') && shown(hint),
    smallest: smallestText(scroll, 'td, th, td *, th *'),
  });
}
/* Each diagram: drawn; shown whole in its box, or with visible controls to see it whole;
 * its smallest label at the scale shown. */
const diagrams = [];
for (const pre of document.querySelectorAll('.techspec-diagram pre.mermaid')) {
  const svg = pre.querySelector(':scope > svg');
  const name = (pre.closest('section[id]') || {id: '?'}).id;
  if (!svg) { diagrams.push({name, drawn: false}); continue; }
  const tools = pre.closest('.techspec-diagram').querySelector('.techspec-diagram-tools');
  const open = tools && [...tools.querySelectorAll('button')].find(b => b.textContent === 'Open full size');
  const view = svg.viewBox && svg.viewBox.baseVal;
  const scale = view && view.width ? svg.getBoundingClientRect().width / view.width : 1;
  const font = smallestText(svg, 'text, .nodeLabel, .edgeLabel, .messageText, .labelText, .loopText, .noteText');
  const svgBox = svg.getBoundingClientRect();
  const preBox = pre.getBoundingClientRect();
  diagrams.push({
    name,
    drawn: !pre.querySelector('.error-icon, .error-text'),
    whole: svgBox.width <= pre.clientWidth + 1 && svgBox.left >= preBox.left - 1,
    control: !!open && shown(tools) && shown(open),
    label: font === null ? null : font * scale,
  });
}
function rgba(text) {
  const match = text.match(/rgba?\(([^)]+)\)/);
  if (!match) return null;
  const parts = match[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
  return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
}
function over(top, bottom) {
  const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
}
function background(element) {
  const layers = [];
  for (let node = element; node; node = node.parentElement) {
    const colour = rgba(getComputedStyle(node).backgroundColor);
    if (colour && colour[3] > 0) {
      layers.push(colour);
      if (colour[3] >= 1) break;
    }
  }
  let result = [255, 255, 255, 1];
  for (let i = layers.length - 1; i >= 0; i--) result = over(layers[i], result);
  return result;
}
function luminance(c) {
  const [r, g, b] = c.slice(0, 3).map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrasts = [];
for (const element of document.querySelectorAll('[class*="techspec-state-"]')) {
  if (!element.getClientRects().length || !element.textContent.trim()) continue;
  const back = background(element);
  const fore = over(rgba(getComputedStyle(element).color), back);
  const [light, dark] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
  const state = [...element.classList].find(c => c.startsWith('techspec-state-'));
  contrasts.push([state, element.textContent.trim().slice(0, 30), (light + 0.05) / (dark + 0.05)]);
}
return JSON.stringify({overflowing, contrasts, tables, diagrams});
})();
