// Progress of a running check (polls its status, reloads when done) and a size check before an upload.
(function () {
  "use strict";
  var progress = document.getElementById("progress");
  if (progress) {
    var url = progress.getAttribute("data-status-url");
    var poll = function () {
      fetch(url, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (s.state === "done" || s.state === "failed" || s.state === "gone") { window.location.reload(); return; }
          progress.textContent = s.text;
          window.setTimeout(poll, 700);
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    };
    window.setTimeout(poll, 500);
  }
  var form = document.getElementById("check-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      var max = Number(form.getAttribute("data-max-bytes"));
      var maxFiles = Number(form.getAttribute("data-max-files"));
      var bytes = 0, files = 0;
      form.querySelectorAll("input[type=file]").forEach(function (input) {
        for (var i = 0; i < input.files.length; i++) { bytes += input.files[i].size; files += 1; }
      });
      if (bytes > max || files > maxFiles) {
        event.preventDefault();
        var problem = document.getElementById("client-problem");
        problem.textContent = form.getAttribute("data-too-big");
        problem.hidden = false;
        return;
      }
      document.getElementById("check-button").disabled = true;
    });
  }
})();
