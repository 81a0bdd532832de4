// Citation previews: hovering or focusing a citation shows its reference entry beside it.
// Progressive: without this script every citation is still a plain link to the entry.
(function () {
  "use strict";
  var preview = null;
  var owner = null;

  function entryFor(link) {
    var href = link.getAttribute("href") || "";
    var hash = href.indexOf("#ref-");
    if (hash < 0) return null;
    var target = document.getElementById(decodeURIComponent(href.slice(hash + 1)));
    return target && target.querySelector(".reference-text");
  }

  function hide() {
    if (preview) preview.remove();
    if (owner) owner.removeAttribute("aria-describedby");
    preview = owner = null;
  }

  function show(link) {
    var entry = entryFor(link);
    if (!entry || owner === link) return;
    hide();
    preview = document.createElement("div");
    preview.className = "cite-preview";
    preview.id = "cite-preview";
    preview.setAttribute("role", "tooltip");
    // The entry is the site's own escaped HTML, copied node by node.
    preview.appendChild(entry.cloneNode(true));
    document.body.appendChild(preview);
    var box = link.getBoundingClientRect();
    var left = Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - preview.offsetWidth - 16);
    preview.style.left = Math.max(8, left) + "px";
    preview.style.top = box.bottom + window.scrollY + 6 + "px";
    link.setAttribute("aria-describedby", "cite-preview");
    owner = link;
  }

  function citationLink(node) {
    var link = node && node.closest ? node.closest(".citation a") : null;
    return link && entryFor(link) ? link : null;
  }

  document.addEventListener("mouseover", function (event) {
    var link = citationLink(event.target);
    if (link) show(link);
    else if (preview && !preview.contains(event.target)) hide();
  });
  document.addEventListener("focusin", function (event) {
    var link = citationLink(event.target);
    if (link) show(link);
    else hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });

  // On a phone the table of contents starts folded, so the text comes first.
  var toc = document.querySelector(".toc-details");
  if (toc && window.matchMedia("(max-width: 63.99rem)").matches) toc.open = false;

  // "Copy" buttons for the BibTeX of "Cite this brief".
  document.querySelectorAll("pre[data-copy]").forEach(function (pre) {
    if (!navigator.clipboard) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(pre.textContent).then(function () {
        button.textContent = "Copied";
      });
    });
    pre.parentNode.insertBefore(button, pre.nextSibling);
  });
})();
