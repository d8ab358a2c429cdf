// Calendar feeds: copy buttons, the new-feed form and the import preview.
// Progressive enhancement: without JavaScript the addresses can be selected and copied
// by hand, every part of the form is shown, and each event has its own choice.
(function () {
  "use strict";

  function announce(text) {
    var status = document.getElementById("copy-status");
    if (!status) return;
    status.textContent = "";
    // A fresh text node makes screen readers announce the same message twice in a row.
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function copyFrom(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    input.focus();
    input.select();
    var ok = document.execCommand && document.execCommand("copy");
    return ok ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  function setUpCopyButtons() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-copy"));
      if (!input) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        copyFrom(input).then(
          function () { announce("Adressen er kopiert: " + input.value); },
          function () {
            input.focus();
            input.select();
            announce("Kunne ikke kopiere automatisk. Adressen er markert – trykk Ctrl+C (Cmd+C på Mac).");
          }
        );
      });
    });
    document.querySelectorAll(".copy-row input[readonly]").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
  }

  function setUpKindSwitch() {
    var radios = document.querySelectorAll("input[data-feed-kind]");
    if (!radios.length) return;
    function update() {
      var chosen = document.querySelector("input[data-feed-kind]:checked");
      var kind = chosen ? chosen.value : "plan";
      document.querySelectorAll(".feed-kind-part").forEach(function (part) {
        part.hidden = part.getAttribute("data-kind") !== kind;
      });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }

  function setUpBulkChoices() {
    var box = document.querySelector(".bulk-choices");
    if (!box) return;
    box.hidden = false;
    box.querySelectorAll("button[data-bulk-choice]").forEach(function (button) {
      button.addEventListener("click", function () {
        var value = button.getAttribute("data-bulk-choice");
        document.querySelectorAll("select.import-choice").forEach(function (select) {
          select.value = value;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopyButtons();
    setUpKindSwitch();
    setUpBulkChoices();
  });
})();
