/* newsaudit HTML report behaviour (offline, no external resources).
 * - legend checkboxes [data-toggle=LAYER] switch a highlight layer off/on
 * - nested highlights carry data-href instead of a nested <a>: follow it on click
 * - hovering a source card outlines its quotes in the article
 * - "Download JSON" saves the embedded report (script#newsaudit-data), if present
 */
(function () {
  "use strict";
  var root = document.querySelector(".newsaudit-report");
  if (!root) { return; }
  var text = root.querySelector(".na-article-text");

  function go(hash) {
    var target = document.getElementById(hash.replace(/^#/, ""));
    if (!target) { return; }
    target.scrollIntoView({ behavior: "smooth", block: "center" });
    target.classList.remove("na-flash");
    void target.offsetWidth;
    target.classList.add("na-flash");
    if (history.replaceState) { history.replaceState(null, "", hash); }
  }

  root.addEventListener("change", function (ev) {
    var box = ev.target;
    if (!box || !box.getAttribute || !box.getAttribute("data-toggle") || !text) { return; }
    text.classList.toggle("na-off-" + box.getAttribute("data-toggle"), !box.checked);
  });

  root.addEventListener("click", function (ev) {
    var el = ev.target && ev.target.closest ? ev.target.closest("[data-href], a[href^='#']") : null;
    if (!el || !root.contains(el)) { return; }
    var hash = el.getAttribute("data-href") || el.getAttribute("href");
    if (!hash || hash.charAt(0) !== "#") { return; }
    ev.preventDefault();
    ev.stopPropagation();
    go(hash);
  });

  function mark(sourceId, on) {
    var quotes = root.querySelectorAll(".na-attribution[data-source='" + sourceId + "']");
    for (var i = 0; i < quotes.length; i++) { quotes[i].classList.toggle("na-linked", on); }
  }
  var cards = root.querySelectorAll(".na-source-card[data-source]");
  for (var i = 0; i < cards.length; i++) {
    (function (card) {
      var id = card.getAttribute("data-source");
      card.addEventListener("mouseenter", function () { mark(id, true); });
      card.addEventListener("mouseleave", function () { mark(id, false); });
    })(cards[i]);
  }

  var button = root.querySelector("#na-download-json");
  var data = document.getElementById("newsaudit-data");
  if (button && data) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var blob = new Blob([data.textContent], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = (root.getAttribute("data-article-id") || "report") + ".json";
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
    });
  }
})();
