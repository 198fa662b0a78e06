/* sphinx-techspec: fit each rendered diagram to its column, legibly, with zoom and pan.
 *
 * Mermaid draws every diagram at its natural size. Once it has (the SVG appears in the
 * diagram's <pre>), this script scales the SVG to the column when that keeps its smallest
 * label at 11 px or more. A wider diagram is shown at that smallest legible scale inside
 * its own box, which pans (scroll, drag, arrow keys) and zooms (Ctrl + wheel, + and -
 * keys, buttons); "Fit" shows it whole and "Open full size" shows it at 100 % over the
 * page. Buttons are words, not icon glyphs that fonts may lack. No network, no framework.
 */
(function () {
  "use strict";

  var MIN_LABEL_PX = 11;
  var LABELS = "text, .nodeLabel, .edgeLabel, .messageText, .labelText, .loopText, .noteText, foreignObject div, foreignObject span";

  function smallestFont(svg) {
    var smallest = Infinity;
    Array.prototype.forEach.call(svg.querySelectorAll(LABELS), function (element) {
      if (!element.textContent.trim()) { return; }
      var size = parseFloat(window.getComputedStyle(element).fontSize);
      if (size > 0 && size < smallest) { smallest = size; }
    });
    return smallest === Infinity ? 16 : smallest;
  }

  function naturalSize(svg) {
    var box = svg.viewBox && svg.viewBox.baseVal;
    if (box && box.width > 0 && box.height > 0) { return { width: box.width, height: box.height }; }
    var rect = svg.getBBox();
    return { width: rect.width || 1, height: rect.height || 1 };
  }

  function button(text, title, action) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "techspec-diagram-button";
    element.textContent = text;
    element.title = title;
    element.addEventListener("click", action);
    return element;
  }

  var viewers = 0;

  function Viewer(pre, svg) {
    this.index = viewers++;
    this.pre = pre;
    this.svg = svg;
    this.size = naturalSize(svg);
    this.font = smallestFont(svg);
    this.legible = Math.min(1, MIN_LABEL_PX / this.font);
    this.zoomed = false;
    pre.classList.add("techspec-diagram-viewport");
    svg.removeAttribute("height");
    svg.style.setProperty("max-width", "none", "important");
    this.tools = document.createElement("div");
    this.tools.className = "techspec-diagram-tools";
    var self = this;
    this.tools.appendChild(button("Fit", "Show the whole diagram in the column", function () { self.fit(); }));
    this.tools.appendChild(button("Zoom out", "Zoom out (- key)", function () { self.zoomBy(1 / 1.25); }));
    this.tools.appendChild(button("Zoom in", "Zoom in (+ key)", function () { self.zoomBy(1.25); }));
    this.tools.appendChild(button("100 %", "Natural size (1 key)", function () { self.setScale(1, true); }));
    this.tools.appendChild(button("Open full size", "Show the diagram at full size over the page", function () { self.open(); }));
    this.hint = document.createElement("span");
    this.hint.className = "techspec-diagram-hint";
    this.tools.appendChild(this.hint);
    pre.parentNode.insertBefore(this.tools, pre);
    pre.tabIndex = 0;
    pre.setAttribute("role", "group");
    pre.setAttribute("aria-label", (pre.getAttribute("aria-label") || "Diagram") + ": arrow keys pan, + and - zoom");
    this.listen();
    this.reset();
  }

  /* The width inside the box (its scroll bar's gutter is always kept, see techspec.css). */
  Viewer.prototype.available = function () {
    var style = window.getComputedStyle(this.pre);
    var padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    return Math.max(50, this.pre.clientWidth - padding);
  };

  Viewer.prototype.fitScale = function () {
    return Math.min(1, this.available() / this.size.width);
  };

  /* Room first: a diagram wider than the column may use the page up to its right edge.
   * In an item card the card widens around it (its text keeps the column's width, see
   * techspec.css), so the diagram never sticks out of the card; a card with several
   * diagrams takes the room of the widest. */
  Viewer.prototype.widen = function () {
    var box = this.pre.closest(".techspec-diagram") || this.pre.parentNode;
    if (!window.techspecWiden) { return; }
    var frame = this.pre.offsetWidth - this.available();
    var needed = this.size.width + frame;
    var least = this.size.width * this.legible + frame;
    var card = box.closest(".techspec-item");
    if (!card) {
      window.techspecWiden(box, needed, least);
      return;
    }
    card.style.width = "";
    card.classList.remove("techspec-wide", "techspec-over-bar");
    var extra = card.getBoundingClientRect().width - box.getBoundingClientRect().width;
    card.style.setProperty("--techspec-text-width", Math.floor(box.getBoundingClientRect().width) + "px");
    var wants = card.techspecWants || (card.techspecWants = []);
    wants[this.index] = [needed + extra, least + extra];
    var most = Math.max.apply(null, wants.filter(Boolean).map(function (w) { return w[0]; }));
    var fewest = Math.max.apply(null, wants.filter(Boolean).map(function (w) { return w[1]; }));
    window.techspecWiden(card, most, fewest);
  };

  /* The default: scaled to the column, but never below the legible scale. */
  Viewer.prototype.reset = function () {
    this.widen();
    this.zoomed = false;
    this.setScale(Math.max(this.fitScale(), this.legible), false);
  };

  Viewer.prototype.fit = function () {
    this.setScale(this.fitScale(), true);
  };

  Viewer.prototype.zoomBy = function (factor) {
    var pre = this.pre;
    var centreX = (pre.scrollLeft + pre.clientWidth / 2) / this.scale;
    var centreY = (pre.scrollTop + pre.clientHeight / 2) / this.scale;
    this.setScale(Math.max(0.1, Math.min(4, this.scale * factor)), true);
    pre.scrollLeft = centreX * this.scale - pre.clientWidth / 2;
    pre.scrollTop = centreY * this.scale - pre.clientHeight / 2;
  };

  Viewer.prototype.setScale = function (scale, byUser) {
    this.scale = scale;
    this.zoomed = this.zoomed || byUser;
    this.svg.style.setProperty("width", (this.size.width * scale).toFixed(1) + "px", "important");
    this.svg.style.setProperty("height", (this.size.height * scale).toFixed(1) + "px", "important");
    this.pre.setAttribute("data-techspec-scale", scale.toFixed(3));
    var wide = this.size.width * scale > this.available() + 1;
    var whole = this.fitScale() >= this.legible;
    this.pre.classList.toggle("techspec-diagram-pans", wide);
    this.tools.classList.toggle("techspec-diagram-tools-wide", !whole);
    // A diagram shown whole at its natural size needs no controls.
    this.tools.hidden = whole && !wide && scale >= 1 && this.fitScale() >= 1;
    this.hint.textContent = wide
      ? "Wider than the page: drag or scroll to pan, Ctrl + wheel to zoom."
      : (scale < 1 ? "Scaled to " + Math.round(scale * 100) + " %." : "");
  };

  Viewer.prototype.listen = function () {
    var self = this;
    var pre = this.pre;
    pre.addEventListener("wheel", function (event) {
      if (!event.ctrlKey && !event.metaKey) { return; }
      event.preventDefault();
      self.zoomBy(event.deltaY < 0 ? 1.1 : 1 / 1.1);
    }, { passive: false });
    pre.addEventListener("keydown", function (event) {
      var keys = { "+": 1.25, "=": 1.25, "-": 1 / 1.25, "_": 1 / 1.25 };
      if (keys[event.key]) { self.zoomBy(keys[event.key]); event.preventDefault(); }
      else if (event.key === "0") { self.fit(); event.preventDefault(); }
      else if (event.key === "1") { self.setScale(1, true); event.preventDefault(); }
    });
    var drag = null;
    pre.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || !pre.classList.contains("techspec-diagram-pans") || event.target.closest("a")) { return; }
      drag = { x: event.clientX, y: event.clientY, left: pre.scrollLeft, top: pre.scrollTop };
      pre.setPointerCapture(event.pointerId);
      pre.classList.add("techspec-diagram-dragging");
    });
    pre.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      pre.scrollLeft = drag.left - (event.clientX - drag.x);
      pre.scrollTop = drag.top - (event.clientY - drag.y);
    });
    function stop() { drag = null; pre.classList.remove("techspec-diagram-dragging"); }
    pre.addEventListener("pointerup", stop);
    pre.addEventListener("pointercancel", stop);
    window.addEventListener("resize", function () {
      if (!self.zoomed) { self.reset(); } else { self.widen(); self.setScale(self.scale, false); }
    });
  };

  /* The SVG itself moves into an overlay (no copy: Mermaid's styles use its id). */
  Viewer.prototype.open = function () {
    var self = this;
    var overlay = document.createElement("div");
    overlay.className = "techspec-diagram-overlay";
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-label", "Diagram at full size");
    var bar = document.createElement("div");
    bar.className = "techspec-diagram-tools techspec-diagram-overlay-bar";
    var body = document.createElement("div");
    body.className = "techspec-diagram-overlay-body";
    body.tabIndex = 0;
    var placeholder = document.createComment("diagram");
    var previous = this.scale;
    var wasZoomed = this.zoomed;
    function close() {
      document.removeEventListener("keydown", onKey);
      placeholder.parentNode.replaceChild(self.svg, placeholder);
      overlay.parentNode.removeChild(overlay);
      self.setScale(previous, false);
      self.zoomed = wasZoomed;
      self.pre.focus();
    }
    function onKey(event) { if (event.key === "Escape") { close(); } }
    var closeButton = button("Close", "Close (Esc)", close);
    bar.appendChild(closeButton);
    var note = document.createElement("span");
    note.className = "techspec-diagram-hint";
    note.textContent = "Full size. Esc closes.";
    bar.appendChild(note);
    overlay.appendChild(bar);
    overlay.appendChild(body);
    this.svg.parentNode.replaceChild(placeholder, this.svg);
    this.svg.style.setProperty("width", this.size.width + "px", "important");
    this.svg.style.setProperty("height", this.size.height + "px", "important");
    body.appendChild(this.svg);
    document.body.appendChild(overlay);
    document.addEventListener("keydown", onKey);
    closeButton.focus();
  };

  function watch(pre) {
    function ready() {
      var svg = pre.querySelector(":scope > svg");
      if (!svg || pre.techspecViewer || pre.getAttribute("data-processed") !== "true") { return false; }
      pre.techspecViewer = new Viewer(pre, svg);
      return true;
    }
    if (ready()) { return; }
    var observer = new MutationObserver(function () { if (ready()) { observer.disconnect(); } });
    observer.observe(pre, { childList: true, attributes: true, attributeFilter: ["data-processed"] });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".techspec-diagram pre.mermaid"), watch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
