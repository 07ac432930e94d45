/* Destination Concierge: a line's number and live figures on a tourist office's website.
 *
 *   <script src="https://…/static/js/embed.js" data-concierge-line="33199000000"
 *           data-lang="fr" async></script>
 *
 * Puts an iframe of /embed/line/<code>/ (the only page of ours any site may frame) right after
 * the script tag. data-lang: en, fr, de, es, it, pt, nl, zh-hans or ja (default: the visitor's
 * browser language). data-height: the frame's height in pixels (default 230).
 */
(function () {
  "use strict";
  var scripts = document.querySelectorAll("script[data-concierge-line]");
  Array.prototype.forEach.call(scripts, function (script) {
    if (script.getAttribute("data-concierge-done")) {
      return;
    }
    script.setAttribute("data-concierge-done", "1");
    var code = script.getAttribute("data-concierge-line").replace(/[^0-9]/g, "");
    var url = new URL("/embed/line/" + code + "/", script.src);
    var lang = script.getAttribute("data-lang");
    if (lang) {
      url.searchParams.set("lang", lang);
    }
    var frame = document.createElement("iframe");
    frame.src = url.href;
    frame.title = script.getAttribute("data-title") || "Talk to a local";
    frame.loading = "lazy";
    frame.referrerPolicy = "no-referrer";
    frame.width = "100%";
    frame.height = String(parseInt(script.getAttribute("data-height"), 10) || 230);
    frame.style.border = "0";
    frame.style.maxWidth = "28rem";
    script.parentNode.insertBefore(frame, script.nextSibling);
  });
})();
