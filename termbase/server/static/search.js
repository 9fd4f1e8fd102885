// Search as you type: one request per keystroke (the previous one is cancelled),
// results replaced in place, the query kept in the address bar for sharing.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var results = document.getElementById("results");
  if (!input || !results) { return; }
  var pending = null;
  input.addEventListener("input", function () {
    var query = input.value;
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch("/results?q=" + encodeURIComponent(query), {
      signal: pending.signal, credentials: "same-origin"
    }).then(function (answer) {
      if (answer.redirected || !answer.ok) { window.location.reload(); return null; }
      return answer.text();
    }).then(function (html) {
      if (html === null || input.value !== query) { return; }
      results.innerHTML = html;
      var url = query ? "/?q=" + encodeURIComponent(query) : "/";
      window.history.replaceState(null, "", url);
    }).catch(function () { /* cancelled by the next keystroke */ });
  });
})();
