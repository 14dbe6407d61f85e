/* brief serve: live reload and the error overlay. Injected into HTML only in serve mode. */
(function () {
  var state = __BRIEF_STATE__;
  var overlay = null;

  // The overlay lives in a shadow root, so that no rule of the site's CSS reaches it: its
  // own styles set every colour, for the light and the dark scheme. The error text stays
  // in the page as a text node the shadow root shows through a slot (a text node cannot
  // be styled from outside), so that the page's innerText still holds it.
  var OVERLAY_CSS =
    ":host{all:initial !important;position:fixed !important;inset:0 !important;" +
    "z-index:2147483647 !important;display:block !important}" +
    ".frame{all:initial;display:block;box-sizing:border-box;position:absolute;inset:0;" +
    "overflow:auto;padding:2rem;background:#ffffff;color:#1c1e21;text-align:left;" +
    "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}" +
    ".title{all:initial;display:block;margin:0 0 1rem;font:inherit;font-weight:bold;color:#a4161a}" +
    ".error{all:initial;display:block;margin:0;font:inherit;color:inherit;white-space:pre-wrap;" +
    "overflow-wrap:anywhere}" +
    "@media (prefers-color-scheme: dark){.frame{background:#18181b;color:#fafafa}" +
    ".title{color:#fca5a5}}";

  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "brief-error-overlay";
      overlay.setAttribute("role", "alert");
      var root = overlay.attachShadow({ mode: "open" });
      var style = document.createElement("style");
      style.textContent = OVERLAY_CSS;
      var frame = document.createElement("div");
      frame.className = "frame";
      var title = document.createElement("p");
      title.className = "title";
      title.textContent = "brief could not rebuild the site. Fix this and save; the page reloads by itself.";
      var error = document.createElement("div");
      error.className = "error";
      error.appendChild(document.createElement("slot"));
      frame.appendChild(title);
      frame.appendChild(error);
      root.appendChild(style);
      root.appendChild(frame);
      overlay.appendChild(document.createTextNode(""));
      (document.body || document.documentElement).appendChild(overlay);
    }
    overlay.firstChild.data = text;
  }

  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("brief-reload", String(Date.now()));
      links[i].href = url.toString();
    }
  }

  if (state.error) showError(state.error);

  var source = new EventSource(state.events);
  // A different stamp on (re)connecting means a rebuild or a new server happened while
  // this page was not listening.
  source.addEventListener("hello", function (e) {
    if (e.data !== state.stamp) location.reload();
  });
  source.addEventListener("reload", function (e) {
    var m = JSON.parse(e.data);
    // brief's own pages (page "*") show the whole site: any rebuild may change them.
    var mine = m.pages === null || state.page === "*" || m.pages.indexOf(state.page) >= 0;
    if (mine || (overlay && m.ok)) {
      location.reload();
    } else {
      state.stamp = m.stamp;
    }
  });
  source.addEventListener("css", function (e) {
    state.stamp = e.data;
    swapStylesheets();
  });
  source.addEventListener("failed", function (e) {
    var m = JSON.parse(e.data);
    state.stamp = m.stamp;
    showError(m.text);
  });
})();
