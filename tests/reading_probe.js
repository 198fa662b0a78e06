(() => {
/* Run in the page by test_reading_browser.py (as `return (...)()`): what overflows, and
 * each state's contrast against its background. */
const column = document.querySelector(
  'article[role="main"], [itemprop="articleBody"], article.bd-article, div.body[role="main"], div.body'
);
const limit = column.getBoundingClientRect().right + 1;
/* A view widened past the column (static/techspec.js: .techspec-wide) may reach the window's
 * right edge, but never a side bar the theme shows right of the column. */
let pageLimit = document.documentElement.clientWidth + 1;
for (const bar of document.querySelectorAll('.toc-drawer, .bd-sidebar-secondary')) {
  const rect = bar.getBoundingClientRect();
  if (rect.width && rect.height && rect.left >= limit - 2) pageLimit = Math.min(pageLimit, rect.left + 1);
}
const overflowing = [];
for (const element of document.querySelectorAll('[class*="techspec-"]')) {
  const scroll = element.closest('.techspec-table-scroll');
  if (scroll && scroll !== element) continue;
  if (element.closest('svg, .mermaid, .sd-tab-content')) continue;
  const box = element.getBoundingClientRect();
  if (!box.width || !element.getClientRects().length) continue;
  if (box.right > (element.closest('.techspec-wide') ? pageLimit : limit)) {
    overflowing.push(`${element.tagName}.${element.className}: ${Math.round(box.right)} > ${Math.round(limit)}`);
  }
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
return JSON.stringify({overflowing, contrasts});
})();
