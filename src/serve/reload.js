/* brief serve: live reload and the error overlay. Injected into HTML only in serve mode. */
(function () {
  var state = __BRIEF_STATE__;
  var overlay = null;

  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "brief-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;box-sizing:border-box;" +
        "padding:2rem;background:rgba(24,24,27,.95);color:#fafafa;text-align:left;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;";
      var title = document.createElement("p");
      title.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#fca5a5;";
      title.textContent = "brief could not rebuild the site. Fix this and save; the page reloads by itself.";
      var pre = document.createElement("pre");
      pre.style.cssText = "margin:0;white-space:pre-wrap;";
      overlay.appendChild(title);
      overlay.appendChild(pre);
      (document.body || document.documentElement).appendChild(overlay);
    }
    overlay.lastChild.textContent = text;
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
    var mine = m.pages === null || m.pages.indexOf(state.page) >= 0;
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
