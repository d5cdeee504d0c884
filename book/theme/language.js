// The language switch: a link in the menu bar to the same page in the other
// edition. The English book is the root of the site and the Spanish one lives
// in its es/ folder (book/i18n.sh builds both), so the other page is one
// folder down or up from this edition's root.
(function () {
  "use strict";
  var spanish = document.documentElement.lang === "es";
  var root = new URL(typeof path_to_root === "string" ? path_to_root : "", location.href);
  var page = location.href.slice(root.href.length) || "index.html";
  var target = new URL((spanish ? "../" : "es/") + page, root);
  var link = document.createElement("a");
  link.href = target.href;
  link.className = "language-switch";
  link.hreflang = spanish ? "en" : "es";
  link.lang = spanish ? "en" : "es";
  link.textContent = spanish ? "English" : "Español";
  link.title = spanish ? "Read this page in English" : "Lee esta página en español";
  var buttons = document.querySelector(".right-buttons");
  if (buttons) {
    buttons.insertBefore(link, buttons.firstChild);
  }
})();
