// The workbench's only script: drag and drop onto the upload form, upload progress, and polling
// each uploaded report's state through the JSON API. Everything else works without it.
"use strict";
(function () {
  var STATE_LABELS = { queued: "排队中", running: "核查中", done: "已完成", error: "无法审核" };

  function text(el, value) { el.textContent = value; }

  function csrfToken(form) {
    var field = form.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function rowFor(table, report) {
    var row = table.querySelector('tr[data-id="' + report.id + '"]');
    if (!row) {
      row = document.createElement("tr");
      row.setAttribute("data-id", String(report.id));
      for (var i = 0; i < 3; i++) row.appendChild(document.createElement("td"));
      table.tBodies[0].appendChild(row);
    }
    return row;
  }

  function showState(table, report) {
    var row = rowFor(table, report);
    var cells = row.cells;
    cells[0].textContent = "";
    if (report.state === "done") {
      var link = document.createElement("a");
      link.href = "/reports/" + encodeURIComponent(report.id);
      text(link, report.source || report.unit || String(report.id));
      cells[0].appendChild(link);
    } else {
      text(cells[0], report.source || String(report.id));
    }
    cells[1].className = "state state-" + report.state;
    text(cells[1], STATE_LABELS[report.state] || report.state);
    var note = "";
    if (report.state === "done") {
      note = (report.unit || "") + (report.score !== null && report.score !== undefined ? " · 得分 " + report.score : "");
    } else if (report.state === "error") {
      note = report.error || "";
    }
    text(cells[2], note);
  }

  function poll(table, ids, status) {
    var pending = ids.slice();
    function tick() {
      if (!pending.length) { if (status) text(status, "全部核查完成。"); return; }
      var left = [];
      var done = 0;
      pending.forEach(function (id) {
        fetch("/api/reports/" + encodeURIComponent(id), { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (report) {
            if (report) {
              showState(table, { id: report.id, state: report.state, source: report.source,
                unit: report.metadata ? report.metadata.unit : "", score: report.score, error: report.error });
              if (report.state === "queued" || report.state === "running") left.push(id);
            } else { left.push(id); }
          })
          .catch(function () { left.push(id); })
          .then(function () {
            done += 1;
            if (done === pending.length) {
              pending = left;
              if (status) text(status, pending.length ? "核查中：还有 " + pending.length + " 份" : "全部核查完成。");
              window.setTimeout(tick, pending.length ? 1000 : 0);
            }
          });
      });
    }
    tick();
  }

  function startPolling() {
    var table = document.querySelector("table.uploads[data-poll]");
    if (!table) return;
    var ids = (table.getAttribute("data-poll") || "").split(",").filter(function (s) { return s; });
    if (ids.length) poll(table, ids, document.getElementById("upload-status"));
  }

  function setupUpload() {
    var form = document.getElementById("upload-form");
    if (!form) return;
    var zone = document.getElementById("dropzone");
    var input = document.getElementById("files");
    var bar = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    var table = document.querySelector("table.uploads");
    var dropped = null;
    input.removeAttribute("required"); // dropped files count too; the submit handler checks there are some

    function describe(files) {
      var names = [];
      for (var i = 0; i < files.length; i++) names.push(files[i].name);
      text(document.getElementById("chosen"), files.length ? "已选择 " + files.length + " 个文件：" + names.join("、") : "");
    }
    input.addEventListener("change", function () { dropped = null; describe(input.files); });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      dropped = e.dataTransfer.files;
      describe(dropped);
    });

    form.addEventListener("submit", function (e) {
      var files = dropped || input.files;
      if (!files || !files.length) { e.preventDefault(); text(status, "请先选择或拖入文件。"); return; }
      e.preventDefault();
      var data = new FormData();
      for (var i = 0; i < files.length; i++) data.append("file", files[i], files[i].name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/reports");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRF-Token", csrfToken(form));
      bar.hidden = false;
      bar.value = 0;
      xhr.upload.addEventListener("progress", function (ev) {
        if (ev.lengthComputable) { bar.value = ev.loaded / ev.total; text(status, "上传中：" + Math.round(100 * ev.loaded / ev.total) + "%"); }
      });
      xhr.addEventListener("load", function () {
        bar.value = 1;
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
        if (xhr.status !== 201 || !body || !body.reports) {
          text(status, "上传失败（" + xhr.status + "）：" + (body && (body.detail || body.error) ? (body.detail || body.error) : xhr.statusText));
          return;
        }
        table.hidden = false;
        var ids = [];
        body.reports.forEach(function (r) { showState(table, r); ids.push(r.id); });
        dropped = null;
        form.reset();
        describe([]);
        text(status, "已上传 " + ids.length + " 份，后台核查中……");
        poll(table, ids, status);
      });
      xhr.addEventListener("error", function () { text(status, "上传失败：网络错误"); });
      xhr.send(data);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setupUpload(); startPolling(); });
})();
