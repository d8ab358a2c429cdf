/* Post dialog: forms fetched with htmx open in a modal <dialog>; after a save the server
 * sends HX-Trigger "postSaved" (close and announce) and "planChanged" (views refresh).
 * No inline script anywhere, so this works under a strict Content-Security-Policy. */
(function () {
  "use strict";
  var lastTrigger = null;

  function dialog() { return document.getElementById("post-dialog"); }

  function announce(message, link) {
    var box = document.getElementById("messages");
    if (!box || !message) { return; }
    box.textContent = "";
    var p = document.createElement("p");
    p.className = "message message-success";
    p.textContent = message;
    if (link && link.href && link.text) {
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      p.appendChild(document.createTextNode(" "));
      p.appendChild(a);
    }
    box.appendChild(p);
  }

  document.addEventListener("click", function (event) {
    var opener = event.target.closest(".open-in-dialog");
    if (opener) { lastTrigger = opener; }
    if (event.target.closest(".close-dialog")) {
      var d = dialog();
      if (d && d.open) { d.close(); }
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "post-dialog-body") { return; }
    var d = dialog();
    if (!d.open) { d.showModal(); }
    var first = d.querySelector("[aria-invalid='true']") ||
      d.querySelector(".error-summary") ||
      d.querySelector("input:not([type='hidden']), select, textarea, button");
    if (first) { first.focus(); }
  });

  document.addEventListener("postSaved", function (event) {
    var d = dialog();
    if (d && d.open) { d.close(); }
    announce(event.detail && event.detail.message, event.detail && event.detail.link);
  });

  document.addEventListener("close", function (event) {
    if (event.target.id !== "post-dialog") { return; }
    document.getElementById("post-dialog-body").textContent = "";
    if (lastTrigger && document.body.contains(lastTrigger)) { lastTrigger.focus(); }
  }, true);
}());

/* Post form: the repeat choices «2. tirsdag i måneden» and «Siste tirsdag i måneden» are
 * named from the start date; rename them when the date changes (the server names them
 * on every render, so this only keeps them current while editing). */
(function () {
  "use strict";

  function renameMonthlyChoices(dateInput) {
    var form = dateInput.closest("form");
    var select = form && form.querySelector("#repeat");
    if (!select || !dateInput.value) { return; }
    var parts = dateInput.value.split("-");
    var day = new Date(Number(parts[0]), Number(parts[1]) - 1, Number(parts[2]));
    if (isNaN(day.getTime())) { return; }
    var names = (select.dataset.weekdays || "").split(",");
    var name = names[(day.getDay() + 6) % 7];
    var nth = Math.floor((day.getDate() - 1) / 7) + 1;
    var nthOption = select.querySelector("option[value='maned-nte']");
    var lastOption = select.querySelector("option[value='maned-siste']");
    if (nthOption) {
      nthOption.textContent = select.dataset.nthLabel.replace("{n}", nth).replace("{day}", name);
      nthOption.hidden = nth > 4 && !nthOption.selected;
    }
    if (lastOption) {
      lastOption.textContent = select.dataset.lastLabel.replace("{day}", name);
    }
  }

  document.addEventListener("change", function (event) {
    if (event.target.id === "start_date" && event.target.closest(".post-form")) {
      renameMonthlyChoices(event.target);
    }
  });
}());
