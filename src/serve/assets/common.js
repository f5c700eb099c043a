// Shared by the workbench's pages: requests to this server, and building elements whose text
// is always set as text (never parsed as HTML). Fragments the server sends as HTML (memos,
// graphs, reports) are escaped there.
"use strict";

const Workbench = {
  lang: document.body.dataset.lang || "nl",

  async post(url, body, signal) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal,
    });
    const data = await response.json().catch(() => ({ error: response.statusText }));
    if (!response.ok && !data.error) data.error = response.statusText;
    return data;
  },

  async get(url) {
    const response = await fetch(url);
    const data = await response.json().catch(() => ({ error: response.statusText }));
    if (!response.ok && !data.error) data.error = response.statusText;
    return data;
  },

  el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  },

  // A diagnostic as a line: "line:col code: message — hint".
  problem(d) {
    const where = d.line ? `${d.line}:${d.column} ` : "";
    const li = Workbench.el("li", { class: d.severity === "error" ? "error" : "warning" },
      Workbench.el("span", { class: "where", text: where }),
      Workbench.el("code", { text: d.code || "" }), " ", d.message || "");
    if (d.hint) li.append(Workbench.el("span", { class: "hint", text: " — " + d.hint }));
    return li;
  },

  showProblems(box, diagnostics) {
    box.replaceChildren();
    if (!diagnostics || diagnostics.length === 0) return;
    box.append(Workbench.el("ul", {}, ...diagnostics.map(Workbench.problem)));
  },

  debounce(fn, ms) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  },
};
