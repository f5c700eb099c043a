// The bill page: choose or write a bill, check it, run it over the cases with progress, then
// filter the report and export it.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const el = Workbench.el;
  let job = null;

  function request() {
    return {
      file: $("bill-file").value,
      text: $("bill-text").value,
      date: $("bill-date").value,
      cases: $("bill-cases").value,
      lang: Workbench.lang,
    };
  }

  async function check() {
    const data = await Workbench.post("/api/bill/check", request());
    if (data.error) {
      Workbench.showProblems($("bill-problems"), [{ severity: "error", message: data.error }]);
      return;
    }
    if ($("bill-file").value && data.text !== undefined) $("bill-text").value = data.text;
    if (data.effective && !$("bill-date").value) $("bill-date").value = data.effective;
    Workbench.showProblems($("bill-problems"), data.diagnostics);
  }

  async function run() {
    $("report").replaceChildren();
    $("filters").hidden = true;
    $("run-status").textContent = "";
    const data = await Workbench.post("/api/bill/run", request());
    if (data.error) {
      $("run-status").textContent = data.error;
      return;
    }
    job = data.job;
    $("progress").hidden = false;
    $("progress").value = 0;
    $("cancel").hidden = false;
    $("run").disabled = true;
    poll();
  }

  async function poll() {
    const id = job;
    const data = await Workbench.get(`/api/bill/job/${id}`);
    if (id !== job) return;
    if (data.total) {
      $("progress").max = data.total;
      $("progress").value = data.done;
      $("run-status").textContent = `${data.done}/${data.total}`;
    }
    if (!data.finished) {
      setTimeout(poll, 250);
      return;
    }
    $("progress").hidden = true;
    $("cancel").hidden = true;
    $("run").disabled = false;
    $("run-status").textContent = "";
    if (data.diagnostics) {
      Workbench.showProblems($("report"), data.diagnostics);
      return;
    }
    $("report").innerHTML = data.html; // escaped by the server
    const norm = $("norm");
    norm.replaceChildren(norm.firstElementChild, ...(data.norms || []).map((n) => el("option", { value: n, text: n })));
    for (const format of ["html", "md", "json"]) $(`export-${format}`).href = `/bill/export/${id}/${format}`;
    $("filters").hidden = false;
    document.body.dataset.reportReady = String(id);
    filter();
  }

  function filter() {
    const onlyVerdicts = $("only-verdicts").checked;
    const norm = $("norm").value;
    document.querySelectorAll("#report details.case").forEach((d) => {
      const hide = (onlyVerdicts && d.dataset.verdictChanged !== "1") ||
        (norm && !d.dataset.norms.includes(` ${norm} `));
      d.hidden = hide;
    });
  }

  $("bill-file").addEventListener("change", check);
  $("bill-text").addEventListener("input", Workbench.debounce(() => {
    $("bill-file").value = "";
    check();
  }, 400));
  $("run").addEventListener("click", run);
  $("cancel").addEventListener("click", () => job && Workbench.post(`/api/bill/job/${job}/cancel`, {}));
  $("only-verdicts").addEventListener("change", filter);
  $("norm").addEventListener("change", filter);
  document.body.dataset.ready = "1";
})();
