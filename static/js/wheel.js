/* Årshjul: a tooltip for the marks on hover and keyboard focus, and arrow keys between
 * marks. The marks are ordinary links (Enter and click open the post without this file);
 * this only adds to them. Delegated listeners, so it keeps working after htmx swaps the
 * wheel; no inline script, no eval (strict CSP). */
(function () {
  "use strict";

  var current = null;

  function tooltip() { return document.getElementById("wheel-tooltip"); }

  function markOf(node) {
    return node && node.closest ? node.closest(".wheel-mark") : null;
  }

  function place(tip, mark) {
    var area = tip.offsetParent || document.body;
    var box = area.getBoundingClientRect();
    var rect = mark.getBoundingClientRect();
    var left = rect.left + rect.width / 2 - box.left - tip.offsetWidth / 2;
    var top = rect.bottom - box.top + 8;
    var maxLeft = box.width - tip.offsetWidth - 4;
    left = Math.max(4, Math.min(left, maxLeft));
    if (rect.bottom + tip.offsetHeight + 12 > window.innerHeight && rect.top > tip.offsetHeight + 12) {
      top = rect.top - box.top - tip.offsetHeight - 8;
    }
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }

  function show(mark) {
    var tip = tooltip();
    if (!tip || !mark) { return; }
    var lines = (mark.getAttribute("data-tip") || "").split("\n");
    tip.textContent = "";
    lines.forEach(function (line, i) {
      var el = document.createElement(i === 0 ? "strong" : "span");
      el.textContent = line;
      tip.appendChild(el);
    });
    tip.hidden = false;
    place(tip, mark);
    current = mark;
  }

  /* The position is set through the CSSOM while shown and the style attribute removed when
   * hidden: htmx clones the page for its history cache, and a cloned style attribute would
   * be inline style under the Content-Security-Policy. */
  function hide() {
    var tip = tooltip();
    if (tip) {
      tip.hidden = true;
      tip.removeAttribute("style");
    }
    current = null;
  }

  /* Hover: the tooltip stays while the pointer is on the mark or on the tooltip itself
   * (so it can be read and its text selected), and goes a moment after it leaves both. */
  var leaving = null;

  function ours(node) {
    var tip = tooltip();
    return !!node && !!current && (markOf(node) === current || (!!tip && tip.contains(node)));
  }

  document.addEventListener("mouseover", function (event) {
    var mark = markOf(event.target);
    if (ours(event.target)) { clearTimeout(leaving); }
    if (mark && mark !== current) { show(mark); }
  });

  document.addEventListener("mouseout", function (event) {
    if (!current || !ours(event.target) || ours(event.relatedTarget)) { return; }
    clearTimeout(leaving);
    leaving = setTimeout(function () {
      if (current && document.activeElement !== current) { hide(); }
    }, 300);
  });

  document.addEventListener("focusin", function (event) {
    var mark = markOf(event.target);
    if (mark) { show(mark); } else if (current) { hide(); }
  });

  document.addEventListener("focusout", function (event) {
    if (markOf(event.target) === current && !markOf(event.relatedTarget)) { hide(); }
  });

  /* Arrow keys: left/right to the previous/next mark of the ring (they are in date order),
   * up/down to the nearest mark (by angle) in the ring outside/inside, Home/End to the
   * first/last mark of the ring. Escape closes the tooltip. */
  function angleOf(mark, svg) {
    var box = mark.getBBox();
    var c = svg.viewBox.baseVal.width / 2;
    return Math.atan2(box.x + box.width / 2 - c, c - (box.y + box.height / 2));
  }

  function ringMarks(group) {
    return group ? Array.prototype.slice.call(group.querySelectorAll(".wheel-mark")) : [];
  }

  function target(mark, key) {
    var group = mark.closest("[data-ring]");
    var svg = mark.closest("svg");
    var marks = ringMarks(group);
    var i = marks.indexOf(mark);
    if (key === "ArrowRight") { return marks[i + 1]; }
    if (key === "ArrowLeft") { return marks[i - 1]; }
    if (key === "Home") { return marks[0]; }
    if (key === "End") { return marks[marks.length - 1]; }
    var groups = Array.prototype.slice.call(svg.querySelectorAll("[data-ring]"));
    var step = key === "ArrowUp" ? -1 : 1;
    var angle = angleOf(mark, svg);
    for (var g = groups.indexOf(group) + step; g >= 0 && g < groups.length; g += step) {
      var best = null;
      var bestDiff = Infinity;
      ringMarks(groups[g]).forEach(function (other) {
        var diff = Math.abs(angleOf(other, svg) - angle);
        diff = Math.min(diff, 2 * Math.PI - diff);
        if (diff < bestDiff) { best = other; bestDiff = diff; }
      });
      if (best) { return best; }
    }
    return null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && current) { hide(); return; }
    var mark = markOf(event.target);
    if (!mark || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (["ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown", "Home", "End"].indexOf(event.key) < 0) { return; }
    event.preventDefault();
    var next = target(mark, event.key);
    if (next) { next.focus(); }
  });

  /* Keep the filter and ring chooser open across htmx swaps of the wheel area. */
  var openDetails = [];

  document.addEventListener("htmx:beforeHistorySave", hide);

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail || !event.detail.target || event.detail.target.id !== "wheel-area") { return; }
    hide();
    openDetails = Array.prototype.map.call(
      event.detail.target.querySelectorAll("details[id][open]"), function (d) { return d.id; });
  });

  document.addEventListener("htmx:afterSettle", function () {
    openDetails.forEach(function (id) {
      var d = document.getElementById(id);
      if (d) { d.open = true; }
    });
    openDetails = [];
  });
}());
