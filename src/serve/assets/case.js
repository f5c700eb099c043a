// The case page: forms generated from the vocabulary, the .law text beside them, both kept in
// step through the server's analysis, which also gives the verdicts and their memos.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const el = Workbench.el;
  const page = Math.random().toString(36).slice(2);
  const KEYWORDS = new Set(["not", "default", "defeater", "expect", "pred", "repeal", "case",
    "bill", "module", "type", "date", "effective", "en", "via"]);
  let form = { preds: [], types: {} };
  let words = {};
  let lang = "nl";
  let facts = [];
  let controller = null;

  const law = $("law");

  // A value as the rule language reads it: a plain name bare, anything else quoted.
  function lawValue(value, kind) {
    const v = value.trim();
    if (kind === "integer" && /^-?\d+$/.test(v)) return v;
    if (kind === "date" && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
    if (/^[a-z][A-Za-z0-9_]*$/.test(v) && !KEYWORDS.has(v)) return v;
    return '"' + v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n") + '"';
  }

  function predOf(name) {
    return form.preds.find((p) => p.name === name);
  }

  function typeOf(name) {
    return (name && form.types[name]) || { kind: "text", values: [] };
  }

  function sentence(pred, values) {
    // The sentence in the page's language, else English, else Dutch.
    const template = pred[lang] || pred.en || pred.nl || pred.name;
    return template.replace(/\{(\w+)\}/g, (_, param) => {
      const i = pred.args.findIndex((a) => a.name === param);
      return i >= 0 && values[i] !== undefined ? values[i] : param;
    });
  }

  // The names the case already gives to things of `type` (organisations, processings …).
  function namesOf(type) {
    const names = new Set();
    for (const fact of facts) {
      const pred = predOf(fact.pred);
      if (!pred) continue;
      pred.args.forEach((arg, i) => {
        if (arg.type === type && fact.args[i] !== undefined) names.add(fact.args[i]);
      });
    }
    return [...names].sort();
  }

  // The argument fields of the chosen kind of fact.
  function buildArgs() {
    const box = $("args");
    box.replaceChildren();
    $("add-problem")?.remove();
    const pred = predOf($("pred").value);
    $("pred-sentence").textContent = pred ? sentence(pred, []) : "";
    if (!pred) return;
    pred.args.forEach((arg, i) => {
      const type = typeOf(arg.type);
      const input = el("input", {
        id: `arg-${i}`, name: arg.name, "data-kind": type.kind, autocomplete: "off",
        type: type.kind === "date" ? "date" : type.kind === "integer" ? "number" : "text",
        list: `list-${i}`, "aria-describedby": `msg-${i}`,
      });
      const options = type.kind === "enumeration" ? type.values : namesOf(arg.type);
      const list = el("datalist", { id: `list-${i}` }, ...options.map((v) => el("option", { value: v })));
      box.append(el("label", { class: "arg", for: `arg-${i}` },
        el("span", { class: "arg-name", text: `${arg.name}` }),
        el("span", { class: "arg-type", text: arg.type || "" }),
        input, list,
        el("span", { id: `msg-${i}`, class: "field-problem", role: "alert" })));
    });
  }

  function clearFieldProblems() {
    document.querySelectorAll(".field-problem").forEach((n) => { n.textContent = ""; });
    document.querySelectorAll("#args input").forEach((n) => n.removeAttribute("aria-invalid"));
    $("add-problem")?.remove();
  }

  // Add the fact the fields describe: checked first with the text; a problem in it is shown
  // at its field and the text is left as it was.
  async function addFact() {
    const pred = predOf($("pred").value);
    if (!pred) return;
    clearFieldProblems();
    const parts = [];
    let column = pred.name.length + 2; // after "pred("
    const ranges = [];
    pred.args.forEach((arg, i) => {
      const input = $(`arg-${i}`);
      const value = lawValue(input.value || "", typeOf(arg.type).kind);
      ranges.push([column, column + value.length]);
      column += value.length + 2;
      parts.push(value);
    });
    const empty = pred.args.findIndex((_, i) => !$(`arg-${i}`).value.trim());
    if (empty >= 0) {
      $(`msg-${empty}`).textContent = "?";
      $(`arg-${empty}`).setAttribute("aria-invalid", "true");
      $(`arg-${empty}`).focus();
      return;
    }
    const statement = `${pred.name}(${parts.join(", ")}).`;
    const base = law.value.replace(/\s*$/, "");
    const candidate = (base ? base + "\n" : "") + statement + "\n";
    const line = candidate.split("\n").length - 1;
    const analysis = await analyse(candidate);
    if (!analysis) return;
    const here = (analysis.diagnostics || []).filter((d) => d.line === line && d.severity === "error");
    if (here.length > 0) {
      for (const d of here) {
        const i = ranges.findIndex(([from, to]) => d.column >= from && d.column <= to);
        const text = d.message + (d.hint ? " — " + d.hint : "");
        if (i >= 0) {
          $(`msg-${i}`).textContent = text;
          $(`arg-${i}`).setAttribute("aria-invalid", "true");
        } else {
          $("add").after(el("p", { id: "add-problem", class: "field-problem", role: "alert", text }));
        }
      }
      return;
    }
    law.value = candidate;
    // The names stay for the next fact about the same things; the values go.
    const kept = pred.args.map((arg, i) => (typeOf(arg.type).kind === "entity" ? $(`arg-${i}`).value : ""));
    show(analysis);
    buildArgs();
    kept.forEach((value, i) => { $(`arg-${i}`).value = value; });
  }

  function headerLine() {
    const name = $("case-name").value.trim() || "my_case";
    const title = $("case-title").value.trim();
    const date = $("case-date").value.trim();
    let line = `case ${lawValue(name, "entity")}`;
    if (title) line += ' "' + title.replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"';
    if (date) line += ` date ${date}`;
    return line + ".";
  }

  // The `case NAME "TITLE" date D.` statement, wherever the text has it.
  const HEADER = /^[ \t]*case\b[^"\n.]*(?:"(?:[^"\\\n]|\\.)*")?[^."\n]*\./m;

  function headerChanged() {
    const line = headerLine();
    if (HEADER.test(law.value)) {
      law.value = law.value.replace(HEADER, () => line);
    } else {
      law.value = line + "\n\n" + law.value;
    }
    analyse(law.value).then((a) => a && show(a));
  }

  function removeFact(fact) {
    let end = fact.end;
    if (law.value[end] === ".") end += 1;
    if (law.value[end] === "\n") end += 1;
    law.value = law.value.slice(0, fact.start) + law.value.slice(end);
    analyse(law.value).then((a) => a && show(a));
  }

  async function analyse(text) {
    if (controller) controller.abort();
    controller = new AbortController();
    $("busy").hidden = false;
    try {
      const analysis = await Workbench.post("/api/analyse", { text, lang: Workbench.lang, page }, controller.signal);
      return analysis;
    } catch (err) {
      if (err.name !== "AbortError") Workbench.showProblems($("problems"), [{ severity: "error", message: String(err) }]);
      return null;
    } finally {
      $("busy").hidden = true;
    }
  }

  function show(analysis) {
    if (analysis.error) {
      Workbench.showProblems($("problems"), [{ severity: "error", message: analysis.error }]);
      return;
    }
    facts = analysis.facts || [];
    // The header fields follow the text's header; while the text has none that reads (a
    // header still being written), they keep what the user typed.
    const header = analysis.header;
    if (header) {
      for (const [id, value] of [["case-name", header.name], ["case-title", header.title], ["case-date", header.date]]) {
        if (document.activeElement !== $(id)) $(id).value = value || "";
      }
    }
    const list = $("facts");
    list.replaceChildren(...facts.map((fact) => {
      const pred = predOf(fact.pred);
      const said = pred && !fact.negated ? sentence(pred, fact.args) : "";
      const remove = el("button", { type: "button", class: "remove", text: words.remove || "remove" });
      remove.addEventListener("click", () => removeFact(fact));
      return el("li", { "data-pred": fact.pred },
        el("code", { text: `${fact.negated ? "~" : ""}${fact.pred}(${fact.args.join(", ")})` }),
        said ? el("span", { class: "said", text: said }) : null, remove);
    }));
    Workbench.showProblems($("problems"), analysis.diagnostics);
    const box = $("verdicts");
    box.replaceChildren();
    if (!analysis.verdicts || analysis.verdicts.length === 0) {
      box.append(el("p", { class: "muted", text: words.no_processing || "" }));
      return;
    }
    for (const v of analysis.verdicts) {
      const card = el("article", { class: `verdict ${v.verdict}`, "data-processing": v.processing, "data-verdict": v.verdict },
        el("h3", {}, el("code", { text: v.processing }), " ", el("span", { class: "word", text: words[v.verdict] || v.verdict })));
      if (v.explanation) {
        const memo = el("details", { class: "memo", open: "" }, el("summary", { text: words.memo || "memo" }));
        const memoBody = el("div");
        memoBody.innerHTML = v.explanation.memo_html; // escaped by the server
        memo.append(memoBody);
        const graph = el("details", { class: "graph" }, el("summary", { text: words.graph || "graph" }));
        const graphBody = el("div", { class: "svg" });
        graphBody.innerHTML = v.explanation.graph_svg; // escaped by the server
        graph.append(graphBody);
        card.append(memo, graph);
      }
      box.append(card);
    }
    buildArgsLists();
  }

  // Refresh the suggestions of the entity fields with the names the case now uses.
  function buildArgsLists() {
    const pred = predOf($("pred").value);
    if (!pred) return;
    pred.args.forEach((arg, i) => {
      const type = typeOf(arg.type);
      if (type.kind !== "entity") return;
      const list = $(`list-${i}`);
      if (list) list.replaceChildren(...namesOf(arg.type).map((v) => el("option", { value: v })));
    });
  }

  async function openFile() {
    const file = $("open-file").value;
    if (!file) {
      law.value = "";
    } else {
      const data = await Workbench.get(`/api/open?file=${encodeURIComponent(file)}`);
      if (data.error) {
        $("save-status").textContent = data.error;
        return;
      }
      law.value = data.text;
      if (file.startsWith("folder:")) $("save-name").value = file.slice(7);
    }
    const analysis = await analyse(law.value);
    if (analysis) show(analysis);
  }

  async function save() {
    const name = $("save-name").value.trim();
    let data = await Workbench.post("/api/save", { name, text: law.value });
    if (data.exists) {
      if (!window.confirm(`${data.exists}: ${words.replace || "replace?"}`)) return;
      data = await Workbench.post("/api/save", { name, text: law.value, replace: true });
    }
    $("save-status").textContent = data.error ? data.error : `${words.saved || "saved"}: ${data.saved}`;
    $("save-status").className = data.error ? "error" : "ok";
  }

  async function start() {
    const data = await Workbench.get(`/api/vocabulary?lang=${Workbench.lang}`);
    form = data.form;
    words = data.words;
    lang = data.lang;
    $("pred").addEventListener("change", buildArgs);
    $("add").addEventListener("click", addFact);
    $("args").addEventListener("keydown", (e) => { if (e.key === "Enter") addFact(); });
    for (const id of ["case-name", "case-title", "case-date"]) $(id).addEventListener("change", headerChanged);
    law.addEventListener("input", Workbench.debounce(async () => {
      const analysis = await analyse(law.value);
      if (analysis) show(analysis);
    }, 350));
    $("cancel").addEventListener("click", () => {
      if (controller) controller.abort();
      Workbench.post("/api/analyse", { text: "", page, cancel: true });
    });
    $("open-file").addEventListener("change", openFile);
    $("save").addEventListener("click", save);
    buildArgs();
    document.body.dataset.ready = "1";
    const analysis = await analyse(law.value);
    if (analysis) show(analysis);
  }

  start();
})();
